package dataplane

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// A system that is up follows its NLB's targets
// (testdata/nlb-retarget.yaml): once box-b is registered and box-a
// deregistered, IPv4 clients (the kernel's pass-through) and IPv6 clients
// (the node's translation) reach box-b; with no target left, both time
// out; a state that changes more than targets (a security group rule) is
// refused and changes nothing.
func TestRetarget(t *testing.T) {
	isolated(t)
	sc, err := scenario.Load(repoFile("internal/dataplane/testdata/nlb-retarget.yaml"))
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
	ctx := context.Background()
	var tgARN string
	for arn, tg := range st.TargetGroups {
		if tg.Name == "ssh-tg" {
			tgARN = arn
		}
	}
	id := map[string]string{}
	for _, inst := range st.Instances {
		id[st.InstanceName(inst)] = string(inst.ID)
	}
	// The node's addresses: the IPv4 client's (public) and the IPv6 one's.
	n := reach.Compile(st)
	addr := func(v6 bool) netip.AddrPort {
		q, err := reach.NewQuery(n, "internet", "web-nlb:80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.IPv6 = v6
		res := reach.Probe(n, q)
		if len(res.Forward) == 0 {
			t.Fatalf("no path: %s", res.Summary)
		}
		pk := res.Forward[0].Packet
		return netip.AddrPortFrom(pk.Destination, pk.DestinationPort)
	}
	via := func(v6 bool) func() string {
		to := addr(v6)
		return func() string {
			path, src, err := s.sourceTo("internet", to.Addr())
			if err != nil {
				t.Fatal(err)
			}
			cctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			c, err := dialIn(cctx, path, "tcp", src, 0, to.String())
			if err != nil {
				return "error: " + string(errOutcome(err).Verdict)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(time.Second))
			io.WriteString(c, "ecsnet\n")
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil {
				return "error: " + err.Error()
			}
			return strings.Fields(line)[len(strings.Fields(line))-2]
		}
	}
	via4, via6 := via(false), via(true)
	until := func(what string, f func() string, want string) {
		t.Helper()
		start := time.Now()
		got := ""
		for time.Since(start) < 10*time.Second {
			if got = f(); got == want {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("%s: %q after %s, want %q", what, got, time.Since(start).Round(time.Millisecond), want)
	}
	until("IPv4, at first", via4, "box-a")
	until("IPv6, at first", via6, "box-a")

	if err := e.RegisterTargets(tgARN, []engine.TargetDescription{{ID: id["box-b"], Port: 22}}); err != nil {
		t.Fatal(err)
	}
	if err := e.DeregisterTargets(tgARN, []engine.TargetDescription{{ID: id["box-a"], Port: 22}}); err != nil {
		t.Fatal(err)
	}
	st1, _ := e.Snapshot()
	if err := s.Retarget(ctx, st1); err != nil {
		t.Fatal(err)
	}
	until("IPv4, box-b registered and box-a deregistered", via4, "box-b")
	until("IPv6, box-b registered and box-a deregistered", via6, "box-b")
	if err := s.Retarget(ctx, st1); err != nil {
		t.Errorf("the same state again: %v", err)
	}
	until("IPv6, the same state again", via6, "box-b")

	// More than targets: refused, and nothing changes.
	st2 := st1.Clone()
	for gid, g := range st2.SecurityGroups {
		if g.Name == "box-sg" {
			x := *g
			x.Ingress = append([]model.SecurityGroupRule{{Protocol: model.TCP, Ports: model.Port(23), CIDR: netip.MustParsePrefix("0.0.0.0/0")}}, g.Ingress...)
			st2.SecurityGroups[gid] = &x
		}
	}
	if err := s.Retarget(ctx, st2); err == nil || !strings.Contains(err.Error(), "not only load balancer targets") {
		t.Errorf("a new security group rule: %v, want it refused", err)
	}
	until("IPv4, after the refused state", via4, "box-b")

	// No target left: the node drops both families' clients.
	if err := e.DeregisterTargets(tgARN, []engine.TargetDescription{{ID: id["box-b"], Port: 22}}); err != nil {
		t.Fatal(err)
	}
	st3, _ := e.Snapshot()
	if err := s.Retarget(ctx, st3); err != nil {
		t.Fatal(err)
	}
	until("IPv4, no target", via4, "error: timeout")
	until("IPv6, no target", via6, "error: timeout")
}

// A system that is up follows its NLB's targets that keep the client's
// address (testdata/nlb-retarget-preserve.yaml): the first such target,
// behind the VPC router, gets the router's and its own return path (and
// the network ACLs' exception for its replies), so the internet's client
// connects through the node; a second, in the node's subnet, in its
// place, likewise; a connection passed to the first keeps its way back
// after it is deregistered.
func TestRetargetPreserved(t *testing.T) {
	isolated(t)
	sc, err := scenario.Load(repoFile("internal/dataplane/testdata/nlb-retarget-preserve.yaml"))
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
	ctx := context.Background()
	var tgARN string
	for arn := range st.TargetGroups {
		tgARN = arn
	}
	id := map[string]string{}
	for _, inst := range st.Instances {
		id[st.InstanceName(inst)] = string(inst.ID)
	}
	q, err := reach.NewQuery(reach.Compile(st), "internet", "web-nlb:80", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	res := reach.Probe(reach.Compile(st), q)
	if len(res.Forward) == 0 {
		t.Fatalf("no path: %s", res.Summary)
	}
	to := netip.AddrPortFrom(res.Forward[0].Packet.Destination, res.Forward[0].Packet.DestinationPort)
	dial := func() (net.Conn, error) {
		path, src, err := s.sourceTo("internet", to.Addr())
		if err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		return dialIn(cctx, path, "tcp", src, 0, to.String())
	}
	answer := func(c net.Conn) string {
		c.SetDeadline(time.Now().Add(time.Second))
		io.WriteString(c, "ecsnet\n")
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			return "error: " + err.Error()
		}
		f := strings.Fields(line)
		return f[len(f)-2]
	}
	via := func() string {
		c, err := dial()
		if err != nil {
			return "error: " + string(errOutcome(err).Verdict)
		}
		defer c.Close()
		return answer(c)
	}
	until := func(what string, want string) {
		t.Helper()
		start := time.Now()
		got := ""
		for time.Since(start) < 10*time.Second {
			if got = via(); got == want {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("%s: %q after %s, want %q", what, got, time.Since(start).Round(time.Millisecond), want)
	}
	retarget := func(register, deregister string) {
		t.Helper()
		if register != "" {
			if err := e.RegisterTargets(tgARN, []engine.TargetDescription{{ID: id[register], Port: 22}}); err != nil {
				t.Fatal(err)
			}
		}
		if deregister != "" {
			if err := e.DeregisterTargets(tgARN, []engine.TargetDescription{{ID: id[deregister], Port: 22}}); err != nil {
				t.Fatal(err)
			}
		}
		next, _ := e.Snapshot()
		if err := s.Retarget(ctx, next); err != nil {
			t.Fatal(err)
		}
	}
	until("no target", "error: timeout")

	retarget("box-far", "")
	until("box-far registered (behind the router)", "box-far")
	held, err := dial() // passed to box-far, used after it leaves
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()

	retarget("box-near", "box-far")
	until("box-near in box-far's place (the node's subnet)", "box-near")
	if got := answer(held); got != "box-far" {
		t.Errorf("a connection passed to box-far before it was deregistered: %q, want box-far's answer back through the node", got)
	}
	retarget("box-far", "box-near")
	until("box-far again", "box-far")
}
