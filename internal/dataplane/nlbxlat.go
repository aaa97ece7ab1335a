package dataplane

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ecsnet/ecsnet/internal/dataplane/elbproxy"
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
// timeout. A UDP listener (or a TCP_UDP one's UDP) is translated the
// same way (udpRelay): the node's check is a datagram and its answer
// (refused: ICMP port unreachable), and each client's flow goes to the
// target chosen at its first datagram. (An IPv6 client of a UDP
// listener, which AWS carries with a source NAT prefix of each subnet,
// EnablePrefixForIpv6SourceNat, is translated from the node's own
// address; the analyzer does not follow UDP over IPv6 through an NLB.)

// NLBTranslation is a TCP or UDP listener of a dualstack NLB node for
// the clients of the family its target group does not have.
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
	// Proto is the protocol translated: TCP or UDP (zero: TCP, in a plan
	// written before UDP was translated).
	Proto model.Protocol `json:",omitempty"`
	// IdleTimeout is a TCP listener's tcp.idle_timeout.seconds attribute
	// ("": AWS's default, 350).
	IdleTimeout string `json:",omitempty"`
	// TLS is, for a TLS listener, the protocol the node speaks to the
	// target once it has ended the client's TLS with its certificate:
	// "TCP" (the decrypted bytes in plain) or "TLS" (a new TLS
	// connection); "" for a TCP or UDP listener (nlbtls.go).
	TLS string `json:",omitempty"`
	// Name is the load balancer's DNS name, its certificate's.
	Name string `json:",omitempty"`
	// Transparent: the target group preserves the client's address, so
	// the node's connection to the target is from the client's address
	// and port (a transparent socket, nlbtls.go), and carries Tag, the
	// load balancer's DSCP tag (0: none), as what the node passes
	// through does.
	Transparent bool  `json:",omitempty"`
	Tag         uint8 `json:",omitempty"`
}

// proto is the translation's protocol.
func (x NLBTranslation) proto() model.Protocol {
	if x.Proto == 0 {
		return model.TCP
	}
	return x.Proto
}

// nlbXlatTable names the gate table of a node's translated listeners.
const nlbXlatTable = "nlbxlat"

// nlbTranslation plans listener port of node e (namespace ns) for the
// clients of the other family than the target group's: the translation
// and its gate, which drops them until the node has checked the target.
func (pl *planner) nlbTranslation(ns string, lb *model.LoadBalancer, e *model.NetworkInterface, l *model.Listener, proto model.Protocol, tg *model.TargetGroup, cands []NLBTarget) {
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
		Source: src, TargetGroupARN: tg.ARN, Candidates: slices.Clone(cands), Proto: proto})
	if proto == model.TCP {
		x := &pl.p.NLBTranslations[len(pl.p.NLBTranslations)-1]
		x.IdleTimeout = l.Attributes["tcp.idle_timeout.seconds"]
		if l.Protocol == "TLS" {
			x.TLS, x.Name = nlbTLSTargetProtocol(tg), lb.DNSName
		}
	}
	i := slices.IndexFunc(pl.p.Tables, func(t Table) bool { return t.NS == ns && t.Name == nlbXlatTable })
	if i < 0 {
		pl.p.Tables = append(pl.p.Tables, xlatTable(ns))
		i = len(pl.p.Tables) - 1
	}
	c := &pl.p.Tables[i].Chains[0]
	c.Rules = append(c.Rules, xlatGate(netip.AddrPortFrom(listen, port), proto))
}

// xlatTable is a node's gate table without gates: its established
// connections pass.
func xlatTable(ns string) Table {
	return Table{NS: ns, Name: nlbXlatTable, Chains: []Chain{{Name: "in", Hook: "input", Type: "filter", Priority: -5,
		Rules: []Rule{{IIf: "eth0", CtEstablished: true, Verdict: Verdict{Kind: "accept"}}}}}}
}

// xlatGate is the rule that drops a translated listener's new clients
// (its target did not answer the node).
func xlatGate(listen netip.AddrPort, proto model.Protocol) Rule {
	return Rule{IIf: "eth0", Dst: []netip.Prefix{netip.PrefixFrom(listen.Addr(), listen.Addr().BitLen())}, Proto: proto, Ports: model.Port(listen.Port()),
		Verdict: Verdict{Kind: "drop"}, Comment: "translated listener: the target did not answer the node"}
}

// xlatCheckTimeout is how long the node waits for a target's handshake
// when it checks a translated listener's target.
const xlatCheckTimeout = 2 * time.Second

// xlatKey names a translated listener: its node, address and protocol.
type xlatKey struct {
	NS     string
	Listen netip.AddrPort
	Proto  model.Protocol
}

func (x NLBTranslation) key() xlatKey { return xlatKey{x.NS, x.Listen, x.proto()} }

// xlatState is a translated listener as its node has it: the plan's
// translation, and its relay (nil: the port has no socket, because the
// target refused the node's check, or it is gated, because the target did
// not answer it).
type xlatState struct {
	x     NLBTranslation
	relay io.Closer
	gated bool
}

// nlbTranslate checks each translated listener's target from its node's
// namespace and opens the listener (the target accepted), leaves the
// port without a socket (it refused: the kernel resets the client), or
// keeps the gate (no answer: the client times out); then replaces each
// node's gate table with what stays closed, in one transaction.
func (s *System) nlbTranslate(ctx context.Context) error {
	return s.translate(ctx, s.plan.NLBTranslations)
}

// translate brings the nodes' translated listeners to xs (nlbTranslate,
// Retarget): a listener whose relay is open keeps it, its new clients
// going to xs's candidates; any other is checked and opened, left without
// a socket or gated; the relays of listeners xs no longer has are closed
// (their connections end); then the gate table of every node that has or
// had translated listeners is replaced, in one transaction each.
func (s *System) translate(ctx context.Context, xs []NLBTranslation) error {
	s.mu.Lock()
	old := s.xlat
	states := make([]*xlatState, len(xs))
	next := map[xlatKey]*xlatState{}
	for i, x := range xs {
		st := &xlatState{x: x}
		if o := old[x.key()]; o != nil {
			st.relay = o.relay
		}
		states[i], next[x.key()] = st, st
	}
	s.xlat = next
	s.mu.Unlock()
	for k, o := range old {
		if next[k] == nil && o.relay != nil {
			o.relay.Close()
		}
	}
	err := parallel(nil, len(xs), func(_ *nsCache, i int) error {
		st := states[i]
		if st.relay != nil {
			return nil
		}
		x, k := st.x, st.x.key()
		path := filepath.Join(s.opt.NetnsDir, x.NS)
		if x.TLS == "" {
			// A TLS relay answers each client as its target answers
			// that client (nlbtls.go); the others check the target
			// once, from the node.
			cctx, cancel := context.WithTimeout(ctx, xlatCheckTimeout)
			err := checkTarget(cctx, path, x.proto(), s.xlatTarget(x))
			cancel()
			switch {
			case err == nil:
			case errors.Is(err, syscall.ECONNREFUSED):
				return nil
			default:
				st.gated = true
				return nil
			}
		}
		target := func() netip.AddrPort { return s.currentTarget(k) }
		var r io.Closer
		if x.proto() == model.UDP {
			_, pc, err := listenIn(path, "udp", x.Listen.String())
			if err != nil {
				return fmt.Errorf("load balancer node %s: listen %s (UDP): %w", x.NS, x.Listen, err)
			}
			u := &udpRelay{path: path, pc: pc, target: target, idle: nlbUDPIdleTimeout(s.opt.LBTimeScale)}
			s.wg.Add(1)
			go func() { defer s.wg.Done(); u.serve() }()
			r = u
		} else {
			ln, _, err := listenIn(path, "tcp", x.Listen.String())
			if err != nil {
				return fmt.Errorf("load balancer node %s: listen %s: %w", x.NS, x.Listen, err)
			}
			t := &tcpRelay{ln: ln, path: path, target: target, idle: nlbIdleTimeout(x.IdleTimeout, s.opt.LBTimeScale), tlsTo: x.TLS,
				transparent: x.Transparent, tag: x.Tag}
			if x.TLS != "" {
				cert, err := elbproxy.SelfSigned(cmp.Or(x.Name, x.LBARN))
				if err != nil {
					ln.Close()
					return fmt.Errorf("load balancer node %s: %w", x.NS, err)
				}
				t.tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
			}
			s.wg.Add(1)
			go func() { defer s.wg.Done(); t.serve() }()
			r = t
		}
		s.addCloser(r)
		s.mu.Lock()
		st.relay = r
		s.mu.Unlock()
		return nil
	})
	if err != nil {
		return err
	}
	var nss []string
	for _, k := range slices.Concat(slices.Collect(maps.Keys(old)), slices.Collect(maps.Keys(next))) {
		if !slices.Contains(nss, k.NS) {
			nss = append(nss, k.NS)
		}
	}
	slices.Sort(nss)
	for _, ns := range nss {
		t := xlatTable(ns)
		for _, st := range states {
			if st.x.NS == ns && st.gated {
				t.Chains[0].Rules = append(t.Chains[0].Rules, xlatGate(st.x.Listen, st.x.proto()))
			}
		}
		if err := replaceTable(filepath.Join(s.opt.NetnsDir, ns), t); err != nil {
			return fmt.Errorf("load balancer node %s: %w", ns, err)
		}
	}
	return nil
}

// currentTarget is the target a translated listener's new client goes
// to now (invalid once the listener is gone).
func (s *System) currentTarget(k xlatKey) netip.AddrPort {
	s.mu.Lock()
	st := s.xlat[k]
	s.mu.Unlock()
	if st == nil {
		return netip.AddrPort{}
	}
	return s.xlatTarget(st.x)
}

// checkTarget is the node's check of a translated listener's target: a
// TCP handshake, or a UDP datagram and its answer. ECONNREFUSED: the
// target refused (a reset, or ICMP port unreachable); another error: it
// did not answer.
func checkTarget(ctx context.Context, path string, proto model.Protocol, to netip.AddrPort) error {
	if proto != model.UDP {
		c, err := dialTimed(ctx, path, "tcp", to.String())
		if err == nil {
			c.Close()
		}
		return err
	}
	c, err := dialIn(ctx, path, "udp", netip.Addr{}, 0, to.String())
	if err != nil {
		return err
	}
	defer c.Close()
	dl, _ := ctx.Deadline()
	c.SetDeadline(dl)
	if _, err := c.Write([]byte("ecsnet\n")); err != nil {
		return err
	}
	_, err = c.Read(make([]byte, 512))
	return err
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
// 350 s by default, times the system's time scale) is reset both ways, so
// no connection outlives its peers (elbproxy.Relay, as a Classic Load
// Balancer's TCP listener relays, but for the idle reset). Close ends
// them all.
type tcpRelay struct {
	ln     net.Listener
	path   string
	target func() netip.AddrPort
	idle   time.Duration
	// tlsTo and tlsConfig end a TLS listener's TLS at the node: tlsTo
	// is what it then speaks to the target, "TCP" or "TLS" (nlbtls.go).
	tlsTo     string
	tlsConfig *tls.Config
	// transparent connects to the target from the client's address
	// and port, with tag in its DSCP (nlbtls.go, dialTransparent).
	transparent bool
	tag         uint8

	mu     sync.Mutex
	conns  map[net.Conn]bool
	passes map[*tcpPass]bool
	closed bool
	wg     sync.WaitGroup
}

// tcpPass is one client's connection through a tcpRelay: its target,
// and how to end it.
type tcpPass struct {
	to    netip.AddrPort
	abort func(reset bool)
}

// terminate resets both sides of every connection the relay passed to
// target to (deregistration_delay.connection_termination at the end of
// the delay) and returns how many it ended.
func (r *tcpRelay) terminate(to netip.AddrPort) int {
	r.mu.Lock()
	var ps []*tcpPass
	for p := range r.passes {
		if p.to == to {
			ps = append(ps, p)
		}
	}
	r.mu.Unlock()
	for _, p := range ps {
		p.abort(true)
	}
	return len(ps)
}

// serve accepts the listener's clients until Close.
func (r *tcpRelay) serve() {
	for {
		c, err := r.ln.Accept()
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

// Close stops the listener, ends every connection the relay holds and
// waits for them.
func (r *tcpRelay) Close() error {
	r.ln.Close()
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
	defer cancel()
	to := r.target()
	var t net.Conn
	var err error
	if r.tlsConfig != nil {
		// A client that does not begin a TLS handshake fails the
		// node's before any target is chosen; the others wait for the
		// target, which the node connects to first (from the client's
		// address when transparent, else from its own): the client
		// hears nothing until the target has answered (nlbtls.go).
		pc, ok := tlsClientFirst(c)
		if !ok {
			elbproxy.ResetConn(c)
			return
		}
		c = pc
		if r.transparent {
			from, perr := netip.ParseAddrPort(c.RemoteAddr().String())
			if perr != nil {
				elbproxy.ResetConn(c)
				return
			}
			t, err = dialTransparent(ctx, r.path, from, to, r.tag)
		} else {
			t, err = dialTimed(ctx, r.path, "tcp", to.String())
		}
		var ne net.Error
		switch {
		case err != nil && !errors.Is(err, syscall.ECONNREFUSED) && (errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()):
			io.Copy(io.Discard, c) // the client waits until it gives up (or the relay closes)
			return
		case err != nil:
			elbproxy.ResetConn(c)
			return
		}
	}
	if r.tlsConfig != nil {
		tc, ok := r.endTLS(c)
		if !ok {
			if t != nil {
				t.Close()
			}
			return
		}
		c = tc
	}
	if t == nil {
		t, err = dialTimed(ctx, r.path, "tcp", to.String())
	}
	if err == nil && r.tlsTo == "TLS" {
		t, err = tlsToTarget(ctx, t)
	}
	cancel()
	if err != nil {
		elbproxy.ResetConn(c)
		return
	}
	if !r.track(t) {
		t.Close()
		return
	}
	defer r.untrack(t)
	defer t.Close()
	rl := elbproxy.NewRelay(c, t, r.idle)
	rl.IdleReset = true
	p := &tcpPass{to: to, abort: rl.Abort}
	r.mu.Lock()
	if r.passes == nil {
		r.passes = map[*tcpPass]bool{}
	}
	r.passes[p] = true
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.passes, p)
		r.mu.Unlock()
	}()
	rl.Run()
}

// udpRelay is a translated UDP listener's relay: each client (address
// and port) is a flow of its own, which the node opens, when its first
// datagram comes, to the target its health checks choose then, from its
// address of the target's family (a connected UDP socket in its
// namespace); the target's answers go back to the client from the
// listener's address. A flow idle both ways for the NLB's UDP idle
// timeout (120 s, times the system's time scale) is forgotten: the
// client's next datagram opens a new one. A target that answers a flow
// with ICMP port unreachable leaves the client without an answer (the
// relay forges no ICMP; the node's check at Up leaves a listener whose
// target refuses without a socket, so its clients get the node kernel's
// port unreachable). Close ends every flow.
type udpRelay struct {
	path   string
	pc     net.PacketConn
	target func() netip.AddrPort
	idle   time.Duration

	mu     sync.Mutex
	flows  map[netip.AddrPort]*udpFlow
	closed bool
	wg     sync.WaitGroup
}

// udpFlow is one client's flow through a udpRelay.
type udpFlow struct {
	c    net.Conn
	to   netip.AddrPort
	last atomic.Int64 // the last datagram's time, either way (unix ns)
}

// terminate ends every flow the relay opened to target to (the client's
// next datagram opens a new flow, to the target chosen then) and returns
// how many it ended.
func (r *udpRelay) terminate(to netip.AddrPort) int {
	r.mu.Lock()
	var fs []*udpFlow
	for client, f := range r.flows {
		if f.to == to {
			fs = append(fs, f)
			delete(r.flows, client)
		}
	}
	r.mu.Unlock()
	for _, f := range fs {
		f.c.Close()
	}
	return len(fs)
}

// serve relays the listener's datagrams until Close.
func (r *udpRelay) serve() {
	buf := make([]byte, 64<<10)
	for {
		n, from, err := r.pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		ua, ok := from.(*net.UDPAddr)
		if !ok {
			continue
		}
		f := r.flow(netip.AddrPortFrom(ua.AddrPort().Addr().Unmap(), ua.AddrPort().Port()))
		if f == nil {
			continue
		}
		f.last.Store(time.Now().UnixNano())
		f.c.Write(buf[:n])
	}
}

// flow returns a client's flow, opening it to the target chosen now
// (nil when the node cannot open one).
func (r *udpRelay) flow(client netip.AddrPort) *udpFlow {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	if f := r.flows[client]; f != nil {
		return f
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	to := r.target()
	c, err := dialIn(ctx, r.path, "udp", netip.Addr{}, 0, to.String())
	cancel()
	if err != nil {
		return nil
	}
	f := &udpFlow{c: c, to: to}
	f.last.Store(time.Now().UnixNano())
	if r.flows == nil {
		r.flows = map[netip.AddrPort]*udpFlow{}
	}
	r.flows[client] = f
	r.wg.Add(1)
	go func() { defer r.wg.Done(); r.back(client, f) }()
	return f
}

// back passes the target's answers of a flow to its client until the
// flow is idle for the idle timeout or the relay closes.
func (r *udpRelay) back(client netip.AddrPort, f *udpFlow) {
	defer func() {
		r.mu.Lock()
		if r.flows[client] == f {
			delete(r.flows, client)
		}
		r.mu.Unlock()
		f.c.Close()
	}()
	buf := make([]byte, 64<<10)
	to := net.UDPAddrFromAddrPort(client)
	for {
		f.c.SetReadDeadline(time.Now().Add(max(r.idle/10, 10*time.Millisecond)))
		n, err := f.c.Read(buf)
		if n > 0 {
			f.last.Store(time.Now().UnixNano())
			r.pc.WriteTo(buf[:n], to)
		}
		switch {
		case err == nil:
		case errors.Is(err, net.ErrClosed):
			return
		case errors.Is(err, os.ErrDeadlineExceeded):
			if time.Since(time.Unix(0, f.last.Load())) >= r.idle {
				return
			}
		default:
			// ICMP port unreachable from the target (ECONNREFUSED): the
			// client hears nothing; the flow stays.
		}
	}
}

// live is the number of flows the relay holds.
func (r *udpRelay) live() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.flows)
}

// Close stops the listener and ends every flow.
func (r *udpRelay) Close() error {
	r.mu.Lock()
	r.closed = true
	fs := make([]*udpFlow, 0, len(r.flows))
	for _, f := range r.flows {
		fs = append(fs, f)
	}
	r.mu.Unlock()
	err := r.pc.Close()
	for _, f := range fs {
		f.c.Close()
	}
	r.wg.Wait()
	return err
}

// nlbUDPIdleTimeout is how long a Network Load Balancer keeps an idle
// UDP flow: 120 s (NLB guide, "Connection idle timeout": "For UDP flows,
// the idle timeout is 120 seconds"), times scale, no shorter than a
// second.
func nlbUDPIdleTimeout(scale float64) time.Duration {
	if scale <= 0 {
		scale = 1
	}
	return max(time.Duration(float64(120*time.Second)*scale), time.Second)
}

// resetConn makes a TCP connection's close a reset (RST), not a FIN (of
// the connection itself: elbproxy.ResetConn resets one wrapped in TLS).
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
	return editTables(path, func(c *nftables.Conn) error {
		c.DelTable(&nftables.Table{Family: nftables.TableFamilyINet, Name: t.Name})
		return addTable(c, t)
	})
}

// editTables runs edit on an nftables connection to the namespace at path
// and commits what it queued in one transaction.
func editTables(path string, edit func(c *nftables.Conn) error) error {
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
	if err := edit(c); err != nil {
		return err
	}
	return c.Flush()
}
