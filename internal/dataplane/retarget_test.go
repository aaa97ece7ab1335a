package dataplane

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/nftables"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

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
	heldNear, err := dial() // passed to box-near, not yet ended when it leaves
	if err != nil {
		t.Fatal(err)
	}
	// Read what box-near says without writing to it (it closes its
	// side after its banner: the connection stays half-open, not reset).
	heldNear.SetReadDeadline(time.Now().Add(time.Second))
	if line, _ := bufio.NewReader(heldNear).ReadString('\n'); !strings.Contains(line, "box-near") {
		t.Fatalf("through the node: %q, want box-near's banner", line)
	}
	nearPaths := returnTables(s.plan)
	retarget("box-far", "box-near")
	until("box-far again", "box-far")
	needed := map[[2]string]bool{}
	nowSt, _ := e.Snapshot()
	np, err := makePlan(nowSt, s.opt.Name, s.plan)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range returnTables(np) {
		needed[x] = true
	}
	var left [][2]string
	for _, x := range nearPaths {
		if !needed[x] {
			left = append(left, x)
		}
	}
	if len(left) == 0 {
		t.Fatalf("box-near's return paths %v are all box-far's too", nearPaths)
	}
	inKernel := 0
	for _, x := range left {
		if returnPathInKernel(t, s, x) {
			inKernel++
		}
	}
	if inKernel == 0 {
		t.Errorf("box-near's return paths %v went while a connection to it still used one", left)
	}
	// Once that connection ends, the next retarget prunes them: their
	// tables, policy rules and routes (and the routers' network ACL
	// exception, when no target needs it any more).
	heldNear.(*net.TCPConn).SetLinger(0)
	heldNear.Close()
	time.Sleep(100 * time.Millisecond)
	retarget("", "")
	for _, x := range left {
		if returnPathInKernel(t, s, x) {
			t.Errorf("box-near's return path %v stays after its last connection ended", x)
		}
	}
	if got := returnTables(s.plan); len(got) != len(needed) {
		t.Errorf("the plan keeps the return paths %v, want only those box-far needs %v", got, needed)
	}
	until("box-far after the pruning", "box-far")
}

// A deregistered target keeps the connections its NLB's node passed to
// it (testdata/nlb-drain.yaml: HTTP keep-alive connections to a service's
// tasks, from IPv4 clients passed through in the kernel and IPv6 clients
// through the node's relay) while new ones go to the other target; with
// deregistration_delay.connection_termination.enabled they end once
// deregistration_delay.timeout_seconds (20 s, scaled to 200 ms) has
// passed: the relay resets them, the node forgets the kernel's (its
// conntrack entries), so the client's next packet is reset.
func TestRetargetDeregistrationDelay(t *testing.T) {
	isolated(t)
	sc, err := scenario.Load(repoFile("internal/dataplane/testdata/nlb-drain.yaml"))
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
	n := reach.Compile(st)
	node := func(v6 bool) netip.AddrPort {
		q, err := reach.NewQuery(n, "internet", "web-nlb:80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.IPv6 = v6
		res := reach.Probe(n, q)
		if len(res.Forward) == 0 {
			t.Fatalf("no path: %s", res.Summary)
		}
		return netip.AddrPortFrom(res.Forward[0].Packet.Destination, res.Forward[0].Packet.DestinationPort)
	}
	to4, to6 := node(false), node(true)
	type conn struct {
		c  net.Conn
		br *bufio.Reader
	}
	dialTo := func(to netip.AddrPort) *conn {
		t.Helper()
		path, src, err := s.sourceTo("internet", to.Addr())
		if err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		c, err := dialIn(cctx, path, "tcp", src, 0, to.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return &conn{c: c, br: bufio.NewReader(c)}
	}
	dial := func() *conn { return dialTo(to6) }
	// get sends one keep-alive request and returns who answered.
	get := func(c *conn) string {
		c.c.SetDeadline(time.Now().Add(time.Second))
		if _, err := io.WriteString(c.c, "GET / HTTP/1.1\r\nHost: web-nlb\r\n\r\n"); err != nil {
			return "error: " + err.Error()
		}
		resp, err := http.ReadResponse(c.br, nil)
		if err != nil {
			return "error: " + err.Error()
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return "error: " + err.Error()
		}
		return strings.TrimSpace(string(body))
	}
	retarget := func(register, deregister string) {
		t.Helper()
		if register != "" {
			if err := e.RegisterTargets(tgARN, []engine.TargetDescription{{ID: register, Port: 3000}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.DeregisterTargets(tgARN, []engine.TargetDescription{{ID: deregister, Port: 3000}}); err != nil {
			t.Fatal(err)
		}
		next, _ := e.Snapshot()
		if err := s.Retarget(ctx, next); err != nil {
			t.Fatal(err)
		}
	}
	var ips []string
	for _, x := range st.TargetGroups[tgARN].Targets.All() {
		ips = append(ips, x.ID)
	}
	if len(ips) != 2 {
		t.Fatalf("targets %v, want the service's two tasks", ips)
	}

	// Connection termination off (the default over TCP): the connection
	// outlives the delay.
	held, held4 := dial(), dialTo(to4)
	first := get(held)
	if strings.HasPrefix(first, "error") {
		t.Fatalf("through the relay: %s", first)
	}
	if got := get(held4); got != first {
		t.Fatalf("passed through in the kernel: %q, want %q", got, first)
	}
	retarget("", ips[0])
	second := get(dial())
	if second == first || strings.HasPrefix(second, "error") {
		t.Fatalf("a new connection after the first target's deregistration: %q, want the other task (not %q)", second, first)
	}
	time.Sleep(600 * time.Millisecond)
	if got := get(held); got != first {
		t.Errorf("a connection to the target deregistered 600 ms ago, without connection termination: %q, want %q again", got, first)
	}
	if got := get(held4); got != first {
		t.Errorf("IPv4: a connection to the target deregistered 600 ms ago, without connection termination: %q, want %q again", got, first)
	}

	// On: the connection is reset once the delay is over.
	if _, err := e.ModifyTargetGroupAttributes(tgARN, [][2]string{{"deregistration_delay.connection_termination.enabled", "true"}}); err != nil {
		t.Fatal(err)
	}
	held, held4 = dial(), dialTo(to4)
	if got := get(held); got != second {
		t.Fatalf("a new connection: %q, want %q", got, second)
	}
	if got := get(held4); got != second {
		t.Fatalf("IPv4: a new connection: %q, want %q", got, second)
	}
	retarget(ips[0], ips[1])
	if got := get(held); got != second {
		t.Errorf("a connection to the target deregistered just now, within its delay: %q, want %q", got, second)
	}
	time.Sleep(600 * time.Millisecond)
	if got := get(held); !strings.HasPrefix(got, "error") {
		t.Errorf("a connection to the target deregistered 600 ms ago, with connection termination: %q, want it reset", got)
	}
	if got := get(held4); !strings.HasPrefix(got, "error") {
		t.Errorf("IPv4: a connection to the target deregistered 600 ms ago, with connection termination: %q, want it reset", got)
	} else {
		t.Logf("IPv4, terminated: %s", got)
	}
	if got := get(dial()); got != first {
		t.Errorf("a new connection: %q, want %q", got, first)
	}
}

// Instance targets (testdata/nlb-drain-instance.yaml: a service's two
// bridge-mode tasks on one container instance, each at the instance's
// address and its own host port; the client's address preserved) keep
// the connections the node passed to them once deregistered; with
// deregistration_delay.connection_termination.enabled they are reset
// when the delay (20 s, scaled to 200 ms) is over. With no target left,
// a connection to the last one still gets its replies back through the
// node: from a client port below 1024, only the router's network ACL
// exception for preserved replies lets them into the node's subnet.
func TestRetargetInstanceTargets(t *testing.T) {
	isolated(t)
	sc, err := scenario.Load(repoFile("internal/dataplane/testdata/nlb-drain-instance.yaml"))
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
	var targets []model.Target
	for _, x := range st.TargetGroups[tgARN].Targets.All() {
		targets = append(targets, x)
	}
	if len(targets) != 2 || targets[0].ID != targets[1].ID || !strings.HasPrefix(targets[0].ID, "i-") {
		t.Fatalf("targets %v, want one instance at the two tasks' host ports", targets)
	}
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, "internet", "web-nlb:80", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	res := reach.Probe(n, q)
	if len(res.Forward) == 0 {
		t.Fatalf("no path: %s", res.Summary)
	}
	to := netip.AddrPortFrom(res.Forward[0].Packet.Destination, res.Forward[0].Packet.DestinationPort)
	type conn struct {
		c  net.Conn
		br *bufio.Reader
	}
	dialFrom := func(sport uint16) (*conn, error) {
		path, src, err := s.sourceTo("internet", to.Addr())
		if err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		c, err := dialIn(cctx, path, "tcp", src, sport, to.String())
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { c.Close() })
		return &conn{c: c, br: bufio.NewReader(c)}, nil
	}
	// get sends one keep-alive request and returns who answered.
	get := func(c *conn) string {
		c.c.SetDeadline(time.Now().Add(time.Second))
		if _, err := io.WriteString(c.c, "GET / HTTP/1.1\r\nHost: web-nlb\r\n\r\n"); err != nil {
			return "error: " + err.Error()
		}
		resp, err := http.ReadResponse(c.br, nil)
		if err != nil {
			return "error: " + err.Error()
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return "error: " + err.Error()
		}
		return strings.TrimSpace(string(body))
	}
	// answered dials from sport until a target answers (the node's
	// health checks pass), and returns the connection and who answered.
	answered := func(sport uint16) (*conn, string) {
		t.Helper()
		got := ""
		for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(20 * time.Millisecond) {
			c, err := dialFrom(sport)
			if err != nil {
				got = "error: " + string(errOutcome(err).Verdict)
				continue
			}
			if got = get(c); !strings.HasPrefix(got, "error") {
				return c, got
			}
			c.c.Close()
		}
		t.Fatalf("from port %d: %q, want a target's answer", sport, got)
		return nil, ""
	}
	portOf := map[string]uint16{} // who answers → its target's port
	for _, x := range targets {
		if err := e.DeregisterTargets(tgARN, []engine.TargetDescription{{ID: x.ID, Port: x.Port}}); err != nil {
			t.Fatal(err)
		}
		next, _ := e.Snapshot()
		if err := s.Retarget(ctx, next); err != nil {
			t.Fatal(err)
		}
		_, who := answered(0)
		for _, y := range targets {
			if y.Port != x.Port {
				portOf[who] = y.Port
			}
		}
		if err := e.RegisterTargets(tgARN, []engine.TargetDescription{{ID: x.ID, Port: x.Port}}); err != nil {
			t.Fatal(err)
		}
	}
	if len(portOf) != 2 {
		t.Fatalf("answers by target port %v, want the two tasks' own", portOf)
	}
	retarget := func(register, deregister []uint16) {
		t.Helper()
		for _, p := range register {
			if err := e.RegisterTargets(tgARN, []engine.TargetDescription{{ID: targets[0].ID, Port: p}}); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range deregister {
			if err := e.DeregisterTargets(tgARN, []engine.TargetDescription{{ID: targets[0].ID, Port: p}}); err != nil {
				t.Fatal(err)
			}
		}
		next, _ := e.Snapshot()
		if err := s.Retarget(ctx, next); err != nil {
			t.Fatal(err)
		}
	}
	retarget(nil, nil)

	// Connection termination on: the connection is reset once the delay
	// is over; new ones go to the other task at once.
	if _, err := e.ModifyTargetGroupAttributes(tgARN, [][2]string{{"deregistration_delay.connection_termination.enabled", "true"}}); err != nil {
		t.Fatal(err)
	}
	held, first := answered(0)
	retarget(nil, []uint16{portOf[first]})
	if got := get(held); got != first {
		t.Errorf("a connection to the instance target deregistered just now, within its delay: %q, want %q", got, first)
	}
	_, second := answered(0)
	if second == first {
		t.Errorf("a new connection after %s's deregistration: %q, want the other task", first, second)
	}
	time.Sleep(600 * time.Millisecond)
	if got := get(held); !strings.HasPrefix(got, "error") {
		t.Errorf("a connection to the instance target deregistered 600 ms ago, with connection termination: %q, want it reset", got)
	}

	// Off, and the last target leaves: a connection from port 900 keeps
	// its replies, through the node, past the delay.
	if _, err := e.ModifyTargetGroupAttributes(tgARN, [][2]string{{"deregistration_delay.connection_termination.enabled", "false"}}); err != nil {
		t.Fatal(err)
	}
	low, who := answered(900)
	if who != second {
		t.Fatalf("from port 900: %q, want %q, the one target left", who, second)
	}
	retarget(nil, []uint16{portOf[second]})
	time.Sleep(600 * time.Millisecond)
	if got := get(low); got != second {
		t.Errorf("a connection from port 900 to the last target, deregistered 600 ms ago, without connection termination: %q, want %q's answer back through the node", got, second)
	}
}

// returnTables are a plan's return paths: namespace and table.
func returnTables(p *Plan) [][2]string {
	var out [][2]string
	for _, t := range p.Tables {
		if strings.HasPrefix(t.Name, returnTablePrefix) {
			out = append(out, [2]string{t.NS, t.Name})
		}
	}
	return out
}

// returnPathInKernel reports whether a return path's nftables table or
// its policy rule (its mark) is in its namespace.
func returnPathInKernel(t *testing.T, s *System, x [2]string) bool {
	t.Helper()
	fd, err := netns.GetFromPath(filepath.Join(s.opt.NetnsDir, x[0]))
	if err != nil {
		t.Fatal(err)
	}
	defer fd.Close()
	c, err := nftables.New(nftables.WithNetNSFd(int(fd)))
	if err != nil {
		t.Fatal(err)
	}
	tables, err := c.ListTables()
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if tb.Name == x[1] {
			return true
		}
	}
	seq, _ := strconv.Atoi(strings.TrimPrefix(x[1], returnTablePrefix))
	h, err := netlink.NewHandleAt(fd)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	rules, err := h.RuleList(unix.AF_UNSPEC)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(rules, func(r netlink.Rule) bool { return r.Mark == uint32(nlbMarkBase+seq) })
}
