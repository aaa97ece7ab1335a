package dataplane

import (
	"context"
	"io"
	"net"
	"net/netip"
	"slices"
	"sync"
	"testing"

	"github.com/ecsnet/ecsnet/internal/dataplane/elbproxy"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestALBTargetHealth brings testdata/alb-statuses.yaml up and compares,
// for every target, the health each ALB node's real health checks settle
// on (from inside the node's namespace, through security groups, network
// ACLs and the task's real listener) with what the analyzer reports for
// DescribeTargetHealth: healthy when every node's checks pass, else
// unhealthy with the reason code of a failing node.
func TestALBTargetHealth(t *testing.T) {
	isolated(t)
	st := loadState(t, "internal/dataplane/testdata/alb-statuses.yaml")
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
	if len(nodes) != 2 {
		t.Fatalf("%d ALB nodes run, want 2 (one per subnet)", len(nodes))
	}
	n := reach.Compile(st)
	type key struct {
		tg, id string
		port   uint16
	}
	real := map[key][]elbproxy.TargetHealth{}
	for _, p := range nodes {
		for _, h := range p.Health() {
			k := key{h.TargetGroupARN, h.ID, h.Port}
			real[k] = append(real[k], h)
		}
	}
	checked := 0
	for _, tg := range st.TargetGroups {
		for _, want := range reach.TargetHealth(n, tg.ARN) {
			hs := real[key{tg.ARN, want.Target.ID, want.Target.Port}]
			if len(hs) != len(nodes) {
				t.Errorf("%s %s:%d: %d nodes check it, want %d", tg.Name, want.Target.ID, want.Target.Port, len(hs), len(nodes))
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
	if checked < 5 {
		t.Errorf("only %d targets checked", checked)
	}
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
