package dataplane

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestLBRecheck stops and restarts a task's listener while the system is
// up (testdata/lb-recheck.yaml) and follows where each load balancer's
// node sends new connections: away from the task once its health checks
// fail unhealthy_threshold times, back once they pass healthy_threshold
// times, and, with both tasks stopped, to the first registered one
// again (fail-open): the NLB's client is refused by it, the ALB answers
// 502. Health check timing is AWS's times 0.01 (a 10 s interval is
// 100 ms).
func TestLBRecheck(t *testing.T) {
	isolated(t)
	st := loadState(t, "internal/dataplane/testdata/lb-recheck.yaml")
	s := up(t, st)
	n := reach.Compile(st)
	addr := func(lb string) netip.AddrPort {
		q, err := reach.NewQuery(n, "internet", lb+":80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		res := reach.Probe(n, q)
		if len(res.Forward) == 0 {
			t.Fatalf("%s: no path: %s", lb, res.Summary)
		}
		pk := res.Forward[0].Packet
		return netip.AddrPortFrom(pk.Destination, pk.DestinationPort)
	}
	nlb, alb := addr("web-nlb"), addr("web-alb")
	path, src, err := s.source("internet")
	if err != nil {
		t.Fatal(err)
	}
	// viaNLB is who answers a TCP connection through the NLB (its first
	// line), or the error.
	viaNLB := func() string {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		c, err := dialIn(ctx, path, "tcp", src, 0, nlb.String())
		if err != nil {
			return "error: " + string(errOutcome(err).Verdict)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(2 * time.Second))
		io.WriteString(c, "ecsnet\n")
		line, _ := bufio.NewReader(c).ReadString('\n')
		return strings.TrimSpace(line)
	}
	// viaALB is who answers an HTTP request through the ALB (the body),
	// or the ALB's own status.
	viaALB := func() string {
		client := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{DisableKeepAlives: true,
			DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
				return dialIn(ctx, path, network, src, 0, a)
			}}}
		resp, err := client.Get("http://" + alb.String() + "/")
		if err != nil {
			return "error: " + err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return resp.Status
		}
		return strings.TrimSpace(string(b))
	}
	// until polls f until it answers want, and reports how long it took.
	until := func(what string, f func() string, want string) {
		t.Helper()
		start := time.Now()
		got := ""
		for time.Since(start) < 10*time.Second {
			if got = f(); got == want {
				t.Logf("%s: %q after %s", what, want, time.Since(start).Round(time.Millisecond))
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("%s: still %q after %s, want %q", what, got, time.Since(start).Round(time.Millisecond), want)
	}

	// The two tasks' listeners, in the NLB's registration order.
	if len(s.nlbNodes) != 1 || len(s.plan.NLBForwards) != 1 {
		t.Fatalf("%d NLB nodes checking, %d listeners with a choice; want 1 and 1", len(s.nlbNodes), len(s.plan.NLBForwards))
	}
	fwd := s.plan.NLBForwards[0]
	nsOf := func(a netip.Addr) string {
		for _, e := range st.NetworkInterfaces {
			if e.PrimaryIP() == a {
				return s.plan.Aliases[string(e.ID)]
			}
		}
		return ""
	}
	var idx []int
	var who []string
	for _, c := range fwd.Candidates {
		for i, l := range s.plan.Listeners {
			if l.Port == c.Port && l.Kind == "container" && nsOf(c.Addr.Addr()) == l.NS {
				idx, who = append(idx, i), append(who, l.Identity)
			}
		}
	}
	if len(idx) != 2 || who[0] == who[1] {
		t.Fatalf("the NLB's candidates' listeners: %v %v, want two tasks", idx, who)
	}
	first, second := who[0], who[1]
	node := s.nlbNodes[0]
	if got := node.target(model.TCP, 80); got != fwd.Candidates[0].Addr {
		t.Fatalf("the NLB node sends to %s at first, want the first registered target %s", got, fwd.Candidates[0].Addr)
	}
	until("NLB, both healthy", viaNLB, first)
	until("ALB, both healthy", viaALB, first)

	// The first task stops listening: its checks are refused, and after
	// two of them the nodes send to the second.
	if err := s.stopListening(idx[0]); err != nil {
		t.Fatal(err)
	}
	until("NLB, the first stopped", viaNLB, second)
	until("ALB, the first stopped", viaALB, second)

	// It listens again: after two passing checks it is back.
	if err := s.startListening(idx[0]); err != nil {
		t.Fatal(err)
	}
	until("NLB, the first back", viaNLB, first)
	until("ALB, the first back", viaALB, first)

	// Both stop: every target is unhealthy and the nodes fail open, to
	// the first registered target, which refuses.
	for _, i := range idx {
		if err := s.stopListening(i); err != nil {
			t.Fatal(err)
		}
	}
	until("ALB, both stopped", viaALB, "502 Bad Gateway")
	until("NLB, both stopped", func() string {
		if got := node.target(model.TCP, 80); got != fwd.Candidates[0].Addr {
			return "sending to " + got.String()
		}
		return viaNLB()
	}, "error: "+string(reach.Refused))

	// The second comes back: the nodes send to it alone.
	if err := s.startListening(idx[1]); err != nil {
		t.Fatal(err)
	}
	until("NLB, the second back", viaNLB, second)
	until("ALB, the second back", viaALB, second)
}
