package dataplane

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/dataplane/elbproxy"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// TestALBTargetHealth brings testdata/alb-statuses.yaml up and compares,
// for every target, the health each ALB node's real health checks settle
// on (from inside the node's namespace, through security groups, network
// ACLs and the task's real listener) with what the analyzer reports for
// DescribeTargetHealth: healthy when every node's checks pass, else
// unhealthy with the reason code of a failing node.
func TestALBTargetHealth(t *testing.T) {
	isolated(t)
	if checked := compareTargetHealth(t, "internal/dataplane/testdata/alb-statuses.yaml"); checked < 5 {
		t.Errorf("only %d targets checked", checked)
	}
}

// TestSlowTargetHealth is TestALBTargetHealth on testdata/slow-targets.yaml:
// a health check path that answers in 8 s against a 5 s timeout is
// Target.Timeout for real, one that answers in 3 s healthy (slow.go
// scales the answers as the nodes scale their timeouts).
func TestSlowTargetHealth(t *testing.T) {
	isolated(t)
	if checked := compareTargetHealth(t, "internal/dataplane/testdata/slow-targets.yaml"); checked != 3 {
		t.Errorf("%d targets checked, want 3", checked)
	}
}

// compareTargetHealth brings the scenario file rel up, compares every
// target's health as the ALB nodes' real health checks settle it with the
// analyzer's, and returns how many targets it compared.
func compareTargetHealth(t *testing.T, rel string) int {
	st := loadState(t, rel)
	var mu sync.Mutex
	var nodes []*elbproxy.LoadBalancer
	opt := testOptions(t)
	run := ALBRunner(opt.LBTimeScale)
	opt.LoadBalancer = func(ctx context.Context, st *model.State, node LBNode, listen func(uint16) (net.Listener, error),
		dial func(context.Context, string, string) (net.Conn, error)) (io.Closer, error) {
		c, err := run(ctx, st, node, listen, dial)
		if p, ok := c.(*elbproxy.LoadBalancer); ok {
			mu.Lock()
			nodes = append(nodes, p)
			mu.Unlock()
		}
		return c, err
	}
	s, err := Up(context.Background(), st, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		s.Close()
		if err := Down(context.Background(), opt); err != nil {
			t.Error(err)
		}
	}()
	albNodes := 0
	for _, lb := range st.LoadBalancers {
		if lb.IsALB() {
			albNodes += len(lb.Nodes)
		}
	}
	if len(nodes) != albNodes {
		t.Fatalf("%d ALB nodes run, want %d (one per subnet)", len(nodes), albNodes)
	}
	n := reach.Compile(st)
	type key struct {
		tg, id string
		port   uint16
	}
	real := map[key][]elbproxy.TargetHealth{}
	checking := map[string]int{} // target group ARN → nodes that check it
	for _, p := range nodes {
		seen := map[string]bool{}
		for _, h := range p.Health() {
			k := key{h.TargetGroupARN, h.ID, h.Port}
			real[k] = append(real[k], h)
			if !seen[h.TargetGroupARN] {
				seen[h.TargetGroupARN] = true
				checking[h.TargetGroupARN]++
			}
		}
	}
	checked := 0
	for _, tg := range st.TargetGroups {
		for _, want := range reach.TargetHealth(n, tg.ARN) {
			hs := real[key{tg.ARN, want.Target.ID, want.Target.Port}]
			if len(hs) == 0 || len(hs) != checking[tg.ARN] {
				t.Errorf("%s %s:%d: %d nodes check it, want %d", tg.Name, want.Target.ID, want.Target.Port, len(hs), checking[tg.ARN])
				continue
			}
			state, reasons := elbproxy.StateHealthy, []string{}
			for _, h := range hs {
				if h.State != elbproxy.StateHealthy {
					state = h.State
					reasons = append(reasons, h.Reason)
				}
			}
			if state != want.State || (state != elbproxy.StateHealthy && !slices.Contains(reasons, want.Reason)) {
				t.Errorf("%s %s:%d: the nodes' health checks say %s %v, the analyzer %s %s", tg.Name, want.Target.ID, want.Target.Port, state, reasons, want.State, want.Reason)
			} else {
				t.Logf("%s %s:%d: %s %v for real, as the analyzer says", tg.Name, want.Target.ID, want.Target.Port, state, reasons)
			}
			checked++
		}
	}
	return checked
}

// BenchmarkALBRequest is one HTTP request from the internet node through
// an ALB node (the IGW's NAT, the node's security group, elbproxy, a new
// connection from the node to the task) and back, on alb.yaml. Each
// request opens its own connection, as the probes do.
func BenchmarkALBRequest(b *testing.B) {
	isolated(b)
	st := loadState(b, "examples/seed/alb.yaml")
	s := up(b, st)
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, "internet", "web-alb:80", "tcp")
	if err != nil {
		b.Fatal(err)
	}
	res := reach.Probe(n, q)
	pk := res.Forward[0].Packet
	to := netip.AddrPortFrom(pk.Destination, pk.DestinationPort)
	host := ""
	for _, lb := range st.LoadBalancers {
		host = lb.DNSName
	}
	b.ReportAllocs()
	for b.Loop() {
		if out := s.HTTP(context.Background(), "internet", HTTPRequest{To: to, Host: host}); out.Verdict != reach.HTTP200 {
			b.Fatalf("%s (%s)", out.Verdict, out.Detail)
		}
	}
}

// An ALB's nodes follow their target group's targets while the system is
// up (testdata/alb-drain.yaml, System.Retarget): once the task that
// answers is deregistered, the next request goes to the other one; the
// node's keep-alive connection to the task that left stays open for the
// group's deregistration delay (100 s, 1 s at the tests' scale), and is
// closed once the delay is over.
func TestRetargetALB(t *testing.T) {
	isolated(t)
	sc, err := scenario.Load(repoFile("internal/dataplane/testdata/alb-drain.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	e := b.Engine
	st, _ := e.Snapshot()
	s := up(t, st)
	var tgARN string
	for arn := range st.TargetGroups {
		tgARN = arn
	}
	var targets []model.Target
	for _, x := range st.TargetGroups[tgARN].Targets.All() {
		targets = append(targets, x)
	}
	if len(targets) != 2 {
		t.Fatalf("targets %v, want the service's two tasks", targets)
	}
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, "internet", "web-alb:80", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	res := reach.Probe(n, q)
	if len(res.Forward) == 0 {
		t.Fatalf("no path: %s", res.Summary)
	}
	to := netip.AddrPortFrom(res.Forward[0].Packet.Destination, res.Forward[0].Packet.DestinationPort)
	// get sends one request on its own connection and returns who
	// answered.
	get := func() string {
		t.Helper()
		path, src, err := s.sourceTo("internet", to.Addr())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := dialIn(ctx, path, "tcp", src, 0, to.String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: web-alb\r\nConnection: close\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		return strings.TrimSpace(string(body))
	}
	// held counts the ALB nodes' established connections to the target.
	held := func(x model.Target) int {
		t.Helper()
		a, _ := x.TargetAddr()
		want := netip.AddrPortFrom(a, x.Port)
		count := 0
		for _, node := range s.plan.LoadBalancers {
			err := inNetns(filepath.Join(s.opt.NetnsDir, node.NS), func() error {
				b, err := os.ReadFile("/proc/thread-self/net/tcp")
				if err != nil {
					return err
				}
				for _, line := range strings.Split(string(b), "\n")[1:] {
					f := strings.Fields(line)
					if len(f) > 3 && f[3] == "01" && procAddr(f[2]) == want {
						count++
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		return count
	}
	first := get()
	if held(targets[0]) == 0 {
		t.Fatalf("after a request answered by %s: no keep-alive connection from a node to %s", first, targets[0].ID)
	}
	if err := e.DeregisterTargets(tgARN, []engine.TargetDescription{{ID: targets[0].ID, Port: targets[0].Port}}); err != nil {
		t.Fatal(err)
	}
	next, _ := e.Snapshot()
	if err := s.Retarget(context.Background(), next); err != nil {
		t.Fatal(err)
	}
	if n := held(targets[0]); n == 0 {
		t.Errorf("just after %s's deregistration: the node closed its connection, want it kept for the deregistration delay", targets[0].ID)
	}
	if got := get(); got == first {
		t.Errorf("a request after the deregistration of %s: answered by %q, want the other task", targets[0].ID, got)
	}
	time.Sleep(1500 * time.Millisecond)
	if n := held(targets[0]); n != 0 {
		t.Errorf("1.5 s after %s's deregistration (a 1 s delay): %d connections from the nodes, want none", targets[0].ID, n)
	}
}

// procAddr is an address and port of /proc/net/tcp ("0100000A:0BB8":
// the address in the host's byte order, the port in hex).
func procAddr(s string) netip.AddrPort {
	h, p, ok := strings.Cut(s, ":")
	if !ok || len(h) != 8 {
		return netip.AddrPort{}
	}
	a, err1 := strconv.ParseUint(h, 16, 32)
	port, err2 := strconv.ParseUint(p, 16, 16)
	if err1 != nil || err2 != nil {
		return netip.AddrPort{}
	}
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(a))
	return netip.AddrPortFrom(netip.AddrFrom4(b), uint16(port))
}
