package dataplane

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/nftables"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// The article: the curl to the instance's public IP times out for real;
// the task's private address works from the instance.
func TestArticle(t *testing.T) {
	isolated(t)
	st := loadState(t, "examples/seed/article.yaml")
	s := up(t, st)
	agree(t, s, st, "internet", "203.0.113.2:3000", reach.Timeout)
	agree(t, s, st, "ecs-asg/0", "10.0.1.5:3000", reach.Connected)
	agree(t, s, st, "internet", "10.0.1.5:3000", reach.NoRoute)
	agree(t, s, st, "internet", "203.0.113.2:22", reach.Connected)
}

// The instance's group opens 3000: the SYN reaches ENI 1, where nothing
// listens, and the host resets it.
func TestArticleSGOpen(t *testing.T) {
	isolated(t)
	st := loadState(t, "examples/seed/article-sg-open.yaml")
	s := up(t, st)
	agree(t, s, st, "internet", "203.0.113.2:3000", reach.Refused)
	agree(t, s, st, "ecs-asg/0", "10.0.1.5:3000", reach.Connected)
	// Another holder of the same state probes the same system.
	a, err := AttachState(s.opt, st)
	if err != nil {
		t.Fatal(err)
	}
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, "internet", "203.0.113.2:3000", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if real, res := a.Probe(context.Background(), q); real.Verdict != reach.Refused || res.Verdict != reach.Refused {
		t.Errorf("attached: kernel %s, analyzer %s", real.Verdict, res.Verdict)
	}
}

// Exec runs a command in a node with the system's hosts file.
func TestExec(t *testing.T) {
	isolated(t)
	st := loadState(t, "examples/seed/article.yaml")
	s := up(t, st)
	var out bytes.Buffer
	if err := s.Exec(context.Background(), "internet", []string{"cat", "/etc/hosts"}, nil, &out, os.Stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "localhost") {
		t.Errorf("hosts in the node: %q", out.String())
	}
	if _, err := os.Stat("/proc/self/ns/net"); err != nil {
		t.Fatal(err)
	}
}

// Down leaves nothing: no namespace file, no mount, no link, route,
// rule or nftables table in the test's own namespace; and it is
// idempotent.
func TestDownLeavesNothing(t *testing.T) {
	isolated(t)
	before := snapshotHere(t)
	st := loadState(t, "examples/seed/article.yaml")
	opt := testOptions(t)
	s, err := Up(context.Background(), st, opt)
	if err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(opt.NetnsDir); len(ents) == 0 {
		t.Fatal("no namespace was created")
	}
	if got := snapshotHere(t); got != before {
		t.Errorf("Up changed the starting namespace:\n%s\nwas\n%s", got, before)
	}
	s.Close()
	for range 2 {
		if err := Down(context.Background(), opt); err != nil {
			t.Fatal(err)
		}
	}
	if ents, _ := os.ReadDir(opt.NetnsDir); len(ents) != 0 {
		t.Errorf("after down, %s holds %d files", opt.NetnsDir, len(ents))
	}
	if _, err := os.Stat(filepath.Join(opt.StateDir, opt.Name)); !os.IsNotExist(err) {
		t.Errorf("after down, the state directory remains: %v", err)
	}
	mounts, _ := os.ReadFile("/proc/self/mountinfo")
	if strings.Contains(string(mounts), opt.NetnsDir) {
		t.Errorf("after down, a mount remains under %s", opt.NetnsDir)
	}
	if got := snapshotHere(t); got != before {
		t.Errorf("after down, the starting namespace differs:\n%s\nwas\n%s", got, before)
	}
}

// Down works from the record after a crash halfway through Up.
func TestDownAfterCrash(t *testing.T) {
	isolated(t)
	opt := testOptions(t).withDefaults()
	dir := opt.dir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(opt.NetnsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	rec, err := openRecord(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a", "b", "never-made"} {
		p := filepath.Join(opt.NetnsDir, opt.Name+"-"+n)
		if err := rec.add("netns", p); err != nil {
			t.Fatal(err)
		}
		if n != "never-made" {
			if err := createNetns(p); err != nil {
				t.Fatal(err)
			}
		}
	}
	rec.close()
	if err := Down(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(opt.NetnsDir); len(ents) != 0 {
		t.Errorf("after down, %s holds %d files", opt.NetnsDir, len(ents))
	}
}

// snapshotHere lists the links, addresses, routes, rules and nftables
// tables of the calling process's namespace.
func snapshotHere(t testing.TB) string {
	t.Helper()
	var b strings.Builder
	links, err := netlink.LinkList()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		b.WriteString("link " + l.Attrs().Name + "\n")
		addrs, _ := netlink.AddrList(l, unix.AF_UNSPEC)
		for _, a := range addrs {
			b.WriteString(" addr " + a.IPNet.String() + "\n")
		}
	}
	routes, _ := netlink.RouteListFiltered(unix.AF_UNSPEC, &netlink.Route{Table: unix.RT_TABLE_UNSPEC}, netlink.RT_FILTER_TABLE)
	for _, r := range routes {
		b.WriteString("route " + r.String() + "\n")
	}
	rules, _ := netlink.RuleList(unix.AF_UNSPEC)
	for _, r := range rules {
		b.WriteString("rule " + r.String() + "\n")
	}
	c, err := nftables.New()
	if err == nil {
		tables, _ := c.ListTables()
		for _, tb := range tables {
			b.WriteString("nft table " + tb.Name + "\n")
		}
	}
	return b.String()
}
