package dataplane

import (
	"context"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestDebug is a tool, not a test: with DPDEBUG="NODE CMD ARGS;…" it
// brings the article up, runs each command in its node ("@" stands for
// the namespace directory, for nsenter), and with DPBG one command in
// the background first (tcpdump), with DPALL every namespace's links.
func TestDebug(t *testing.T) {
	isolated(t)
	if os.Getenv("DPDEBUG") == "" {
		t.Skip("a debugging aid: set DPDEBUG to run it")
	}
	st := loadState(t, "examples/seed/article.yaml")
	s := up(t, st)
	t.Log(s.Connect(context.Background(), "internet", netip.MustParseAddrPort("203.0.113.2:22"), model.TCP))
	run := func(node string, argv ...string) {
		os.Stdout.WriteString("$ " + node + ": " + strings.Join(argv, " ") + "\n")
		s.Exec(context.Background(), node, argv, nil, os.Stdout, os.Stdout)
	}
	if bg := os.Getenv("DPBG"); bg != "" {
		f := strings.Fields(strings.ReplaceAll(bg, "@", s.opt.NetnsDir+"/"))
		go s.Exec(context.Background(), f[0], f[1:], nil, os.Stdout, os.Stdout)
		time.Sleep(300 * time.Millisecond)
	}
	for _, c := range strings.Split(os.Getenv("DPDEBUG"), ";") {
		f := strings.Fields(strings.ReplaceAll(c, "@", s.opt.NetnsDir+"/"))
		if len(f) > 1 {
			run(f[0], f[1:]...)
		}
	}
	for _, ns := range s.plan.Namespaces {
		if os.Getenv("DPALL") == "" {
			break
		}
		os.Stdout.WriteString("=== " + ns.Name + " " + ns.Role + "\n")
		for _, c := range [][]string{{"ip", "-s", "link"}} {
			s.Exec(context.Background(), "internet", append([]string{"nsenter", "--net=" + s.opt.NetnsDir + "/" + ns.Name, "ip"}, c[1:]...), nil, os.Stdout, os.Stdout)
		}
	}
}
