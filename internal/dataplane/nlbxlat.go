package dataplane

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/google/nftables"
	"github.com/vishvananda/netns"
)

// A dualstack Network Load Balancer "communicates with targets based on
// the IP address type of the target group" (NLB guide,
// load-balancer-ip-address-type): an IPv6 client of an ipv4 target group
// reaches the target from the node's private IPv4 address, an IPv4
// client of an ipv6 group from the node's IPv6 address, whatever client
// IP preservation says (NLB guide, client IP preservation: "Load
// balancer IPv4 address", "Load balancer IPv6 address"). The kernel has
// no translation between the families, so the node does it in user
// space (nlbTranslate): it checks the connection to the target from its
// namespace when the system comes up, and then passes each client's
// connection on as its own. The client's handshake stays the target's,
// as through the kernel's pass-through: a target that accepts has the
// node accept and relay (connected); one that refuses leaves the
// listener port without a socket, so the node's kernel resets the
// client (refused); one that does not answer keeps the node's gate rule
// (table "nlbxlat", an nftables drop), and the client times out. Each
// client then goes to the target the node's health checks choose when it
// connects (tcpRelay), with TCP's half-close and the listener's idle
// timeout. UDP
// over IPv6 is not translated (AWS needs a source NAT prefix for it,
// which the analyzer does not follow either).

// NLBTranslation is a TCP listener of a dualstack NLB node for the
// clients of the family its target group does not have.
type NLBTranslation struct {
	NS    string
	LBARN string
	// Listen is the node's address of the clients' family, with the
	// listener's port; Source the node's address the target sees.
	Listen         netip.AddrPort
	Source         netip.Addr
	TargetGroupARN string
	// Candidates are the targets the node may send to, in registration
	// order (the first healthy one is chosen, the first when none is).
	Candidates []NLBTarget
	// IdleTimeout is the listener's tcp.idle_timeout.seconds attribute
	// ("": AWS's default, 350).
	IdleTimeout string `json:",omitempty"`
}

// nlbXlatTable names the gate table of a node's translated listeners.
const nlbXlatTable = "nlbxlat"

// nlbTranslation plans listener port of node e (namespace ns) for the
// clients of the other family than the target group's: the translation
// and its gate, which drops them until the node has checked the target.
func (pl *planner) nlbTranslation(ns string, lb *model.LoadBalancer, e *model.NetworkInterface, l *model.Listener, tg *model.TargetGroup, cands []NLBTarget) {
	port := l.Port
	node6, ok := e.PrimaryIPv6()
	if !ok {
		return
	}
	listen, src := node6, e.PrimaryIP()
	if cands[0].Addr.Addr().Is6() {
		listen, src = e.PrimaryIP(), node6
	}
	pl.p.NLBTranslations = append(pl.p.NLBTranslations, NLBTranslation{NS: ns, LBARN: lb.ARN, Listen: netip.AddrPortFrom(listen, port),
		Source: src, TargetGroupARN: tg.ARN, Candidates: slices.Clone(cands), IdleTimeout: l.Attributes["tcp.idle_timeout.seconds"]})
	i := slices.IndexFunc(pl.p.Tables, func(t Table) bool { return t.NS == ns && t.Name == nlbXlatTable })
	if i < 0 {
		pl.p.Tables = append(pl.p.Tables, xlatTable(ns))
		i = len(pl.p.Tables) - 1
	}
	c := &pl.p.Tables[i].Chains[0]
	c.Rules = append(c.Rules, xlatGate(netip.AddrPortFrom(listen, port)))
}

// xlatTable is a node's gate table without gates: its established
// connections pass.
func xlatTable(ns string) Table {
	return Table{NS: ns, Name: nlbXlatTable, Chains: []Chain{{Name: "in", Hook: "input", Type: "filter", Priority: -5,
		Rules: []Rule{{IIf: "eth0", CtEstablished: true, Verdict: Verdict{Kind: "accept"}}}}}}
}

// xlatGate is the rule that drops a translated listener's new clients
// (its target did not answer the node).
func xlatGate(listen netip.AddrPort) Rule {
	return Rule{IIf: "eth0", Dst: []netip.Prefix{netip.PrefixFrom(listen.Addr(), listen.Addr().BitLen())}, Proto: model.TCP, Ports: model.Port(listen.Port()),
		Verdict: Verdict{Kind: "drop"}, Comment: "translated listener: the target did not answer the node"}
}

// xlatCheckTimeout is how long the node waits for a target's handshake
// when it checks a translated listener's target.
const xlatCheckTimeout = 2 * time.Second

// nlbTranslate checks each translated listener's target from its node's
// namespace and opens the listener (the target accepted), leaves the
// port without a socket (it refused: the kernel resets the client), or
// keeps the gate (no answer: the client times out); then replaces each
// node's gate table with what stays closed, in one transaction.
func (s *System) nlbTranslate(ctx context.Context) error {
	xs := s.plan.NLBTranslations
	if len(xs) == 0 {
		return nil
	}
	closed := make([]bool, len(xs))
	err := parallel(nil, len(xs), func(_ *nsCache, i int) error {
		x := xs[i]
		path := filepath.Join(s.opt.NetnsDir, x.NS)
		to := s.xlatTarget(x)
		cctx, cancel := context.WithTimeout(ctx, xlatCheckTimeout)
		c, err := dialTimed(cctx, path, "tcp", to.String())
		cancel()
		switch {
		case err == nil:
			c.Close()
		case errors.Is(err, syscall.ECONNREFUSED):
			return nil
		default:
			closed[i] = true
			return nil
		}
		ln, _, err := listenIn(path, "tcp", x.Listen.String())
		if err != nil {
			return fmt.Errorf("load balancer node %s: listen %s: %w", x.NS, x.Listen, err)
		}
		r := &tcpRelay{path: path, target: func() netip.AddrPort { return s.xlatTarget(x) }, idle: nlbIdleTimeout(x.IdleTimeout, s.opt.LBTimeScale)}
		s.addCloser(ln)
		s.addCloser(r)
		s.wg.Add(1)
		go func() { defer s.wg.Done(); r.serve(ln) }()
		return nil
	})
	if err != nil {
		return err
	}
	for _, ns := range nodeNamespaces(xs) {
		t := xlatTable(ns)
		for i, x := range xs {
			if x.NS == ns && closed[i] {
				t.Chains[0].Rules = append(t.Chains[0].Rules, xlatGate(x.Listen))
			}
		}
		if err := replaceTable(filepath.Join(s.opt.NetnsDir, ns), t); err != nil {
			return fmt.Errorf("load balancer node %s: %w", ns, err)
		}
	}
	return nil
}

// nodeNamespaces are the namespaces of the nodes with translated
// listeners, in plan order.
func nodeNamespaces(xs []NLBTranslation) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x.NS) {
			out = append(out, x.NS)
		}
	}
	return out
}

// xlatTarget is the target a translated listener sends to: the first
// candidate the node's health checks find healthy (nlbhealth.go), else
// the first.
func (s *System) xlatTarget(x NLBTranslation) netip.AddrPort {
	s.mu.Lock()
	nodes := slices.Clone(s.nlbNodes)
	s.mu.Unlock()
	for _, n := range nodes {
		if n.ns != x.NS {
			continue
		}
		if to, ok := healthyTarget(n.healthy(), x.TargetGroupARN, x.Candidates); ok {
			return to
		}
	}
	return x.Candidates[0].Addr
}

// tcpRelay is a translated TCP listener's relay: it passes each
// connection its listener accepts on to the target the node chooses now
// (target, called per connection, so a node whose health checks change
// their choice sends new clients to the new one, as the kernel's
// pass-through does), as the node's own connection from its address of
// the target's family, and back. A side that ends its half (FIN) has the
// node end the same half towards the other, which may go on sending (TCP
// half-close, as the kernel passes a FIN through); a side that resets or
// fails has both closed, the other with a reset; and a connection idle in
// both directions for the listener's idle timeout (tcp.idle_timeout.seconds,
// 350 s by default, times the system's time scale) is closed both ways, so
// no connection outlives its peers. Close ends them all.
type tcpRelay struct {
	path   string
	target func() netip.AddrPort
	idle   time.Duration

	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool
	wg     sync.WaitGroup
}

// serve accepts ln's clients until it is closed.
func (r *tcpRelay) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		if !r.track(c) {
			c.Close()
			return
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			defer r.untrack(c)
			r.pass(c)
		}()
	}
}

// track records a live connection; false once the relay is closed.
func (r *tcpRelay) track(c net.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	if r.conns == nil {
		r.conns = map[net.Conn]bool{}
	}
	r.conns[c] = true
	return true
}

func (r *tcpRelay) untrack(c net.Conn) {
	r.mu.Lock()
	delete(r.conns, c)
	r.mu.Unlock()
}

// live is the number of connections the relay holds, both client and
// target sides counted.
func (r *tcpRelay) live() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.conns)
}

// Close ends every connection the relay holds and waits for them.
func (r *tcpRelay) Close() error {
	r.mu.Lock()
	r.closed = true
	cs := make([]net.Conn, 0, len(r.conns))
	for c := range r.conns {
		cs = append(cs, c)
	}
	r.mu.Unlock()
	for _, c := range cs {
		c.Close()
	}
	r.wg.Wait()
	return nil
}

// pass relays one client: a client whose target does not connect is
// reset.
func (r *tcpRelay) pass(c net.Conn) {
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t, err := dialTimed(ctx, r.path, "tcp", r.target().String())
	cancel()
	if err != nil {
		resetConn(c)
		return
	}
	if !r.track(t) {
		t.Close()
		return
	}
	defer r.untrack(t)
	defer t.Close()
	var last atomic.Int64 // the last byte's time, either way (unix ns)
	last.Store(time.Now().UnixNano())
	stop := make(chan struct{})
	var once sync.Once
	abort := func(reset bool) {
		once.Do(func() {
			if reset {
				resetConn(c)
				resetConn(t)
			}
			c.Close()
			t.Close()
			close(stop)
		})
	}
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		defer func() { done <- struct{}{} }()
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				last.Store(time.Now().UnixNano())
				if _, werr := dst.Write(buf[:n]); werr != nil {
					abort(true)
					return
				}
			}
			if errors.Is(err, io.EOF) {
				// The peer ended its half: end the same half towards the
				// other side, which may still answer.
				if tc, ok := dst.(*net.TCPConn); ok {
					tc.CloseWrite()
				}
				return
			}
			if err != nil {
				abort(!errors.Is(err, net.ErrClosed))
				return
			}
		}
	}
	go pipe(t, c)
	go pipe(c, t)
	tick := time.NewTicker(max(r.idle/10, 10*time.Millisecond))
	defer tick.Stop()
	for ended := 0; ended < 2; {
		select {
		case <-done:
			ended++
		case <-tick.C:
			if time.Since(time.Unix(0, last.Load())) >= r.idle {
				abort(true)
			}
		case <-stop:
			stop = nil // both pipes end now that both sides are closed
		}
	}
	abort(false)
}

// resetConn makes a TCP connection's close a reset (RST), not a FIN.
func resetConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
}

// nlbIdleTimeout is a Network Load Balancer TCP listener's idle timeout:
// its tcp.idle_timeout.seconds attribute (350 s by default; NLB guide,
// "Listener attributes"), times scale (the system's LBTimeScale), no
// shorter than a second.
func nlbIdleTimeout(attr string, scale float64) time.Duration {
	d := 350 * time.Second
	if n, err := strconv.Atoi(attr); err == nil && n > 0 {
		d = time.Duration(n) * time.Second
	}
	if scale <= 0 {
		scale = 1
	}
	return max(time.Duration(float64(d)*scale), time.Second)
}

// replaceTable replaces a namespace's nftables table with t in one
// transaction.
func replaceTable(path string, t Table) error {
	fd, err := netns.GetFromPath(path)
	if err != nil {
		return err
	}
	defer fd.Close()
	c, err := nftables.New(nftables.WithNetNSFd(int(fd)))
	if err != nil {
		return err
	}
	defer c.CloseLasting()
	c.DelTable(&nftables.Table{Family: nftables.TableFamilyINet, Name: t.Name})
	if err := addTable(c, t); err != nil {
		return err
	}
	return c.Flush()
}
