package dataplane

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"slices"
	"syscall"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"golang.org/x/sys/unix"
)

// A Network Load Balancer's TLS listener ends the client's TLS with its
// certificate and, for a target group of protocol TLS, opens a new TLS
// connection to the target; for one of protocol TCP it sends the
// decrypted bytes in plain (NLB User Guide, load-balancer-target-groups,
// "Routing configuration"). The node does so in user space when its
// target group does not preserve the client's IP address (ip targets, by
// default; nlbTLSTermination): its listener is a relay of nlbxlat.go,
// always open (no check at up, no gate: the node accepts every client,
// as an NLB node that ends TLS does), which reads the client's first
// bytes: a client that does not speak TLS (a plain HTTP request, an
// http:// URL) fails the node's handshake and is reset before any target
// is chosen (the analyzer's plainToNLBTLS,
// ECS_PLAIN_HTTP_TO_HTTPS_LISTENER). A TLS client's ClientHello waits
// while the node connects, from its own address, to the target its
// health checks choose: a target that refuses has the client reset
// (refused), one that does not answer has the client's handshake wait
// unanswered (timeout), as the analyzer judges the target's handshake
// [probable: AWS does not document the order]; a target that accepts
// has the node complete the client's TLS handshake with a certificate
// generated at up, then speak TLS (certificate not validated) or plain
// to the target, and relay. A target whose application fails the
// node's TLS handshake has the client reset after its own handshake
// completed (ECS_NLB_TLS_TARGET_HANDSHAKE). The
// probe's client (DialTLSNode) completes its handshake with the node and
// reads what comes: the application's answer or its close is connected,
// a reset refused.
//
// A target group that preserves the client's IP address (instance
// targets by default, or preserve_client_ip.enabled) has its TLS ended
// at the node too (AWS's TLS listeners always end TLS; "IP type (IPv4)
// [targets receive the] Client IPv4 address", NLB guide, client IP
// preservation), and the node's connection to the target is made from
// the client's address and port (a transparent socket, IP_TRANSPARENT;
// the port the kernel's when the client's is taken), so that the
// target's security groups and network ACLs see the client as through
// the kernel's pass-through, and carries the load balancer's DSCP tag
// (a target's rule naming its groups admits it). The target's replies,
// addressed to the client, come back to the node by the pass-through's
// return paths (lbplan.go), where the connection's mark delivers them
// to the relay's socket (nlbTransparent). The relay connects to the
// target before it answers the client's TLS: a target that refuses has
// the client reset (refused), one that does not answer has the client
// wait (timeout), for each client from its own address, as a relay
// without preservation does from the node's. An ipv6 target
// group that preserves the client's address keeps the kernel's
// pass-through [choice: not built], where the probe's client completes
// its TLS handshake with the target's application (DialTLSThrough).

// nlbTLSTargetProtocol is what a TLS listener's node speaks to tg's
// targets: "TLS" for a target group of protocol TLS, else "TCP".
func nlbTLSTargetProtocol(tg *model.TargetGroup) string {
	if tg.Protocol == "TLS" {
		return "TLS"
	}
	return "TCP"
}

// nlbTLSTermination plans TLS listener l of node e (namespace ns) as a
// relay that ends the client's TLS (for the clients of the target
// group's family; the other family's, on a dualstack node, are
// nlbTranslation's, which ends TLS as well) and reports whether it did:
// not when the node has no address of the targets' family.
func (pl *planner) nlbTLSTermination(ns string, lb *model.LoadBalancer, e *model.NetworkInterface, l *model.Listener, tg *model.TargetGroup, cands []NLBTarget) bool {
	listen := e.PrimaryIP()
	transparent := nlbPreservesClientIP(tg)
	if cands[0].Addr.Addr().Is6() && transparent {
		return false
	}
	if cands[0].Addr.Addr().Is6() {
		a, ok := e.PrimaryIPv6()
		if !ok || !pl.v6 {
			return false
		}
		listen = a
	}
	if !listen.IsValid() {
		return false
	}
	pl.p.NLBTranslations = append(pl.p.NLBTranslations, NLBTranslation{NS: ns, LBARN: lb.ARN, Listen: netip.AddrPortFrom(listen, l.Port),
		Source: listen, TargetGroupARN: tg.ARN, Candidates: slices.Clone(cands), Proto: model.TCP,
		IdleTimeout: l.Attributes["tcp.idle_timeout.seconds"], TLS: nlbTLSTargetProtocol(tg), Name: lb.DNSName})
	i := slices.IndexFunc(pl.p.Tables, func(t Table) bool { return t.NS == ns && t.Name == nlbXlatTable })
	if i < 0 {
		pl.p.Tables = append(pl.p.Tables, xlatTable(ns))
		i = len(pl.p.Tables) - 1
	}
	if transparent {
		x := &pl.p.NLBTranslations[len(pl.p.NLBTranslations)-1]
		x.Transparent, x.Tag = true, pl.nlbTag(lb.ARN)
	}
	return true // no gate: the relay answers each client as its target answers it
}

// nlbTransparentMark marks, in a node's namespace, the connections its
// transparent relays make from their clients' addresses; nlbLocalTable
// is the routing table that delivers their replies to the node itself.
const (
	nlbTransparentMark = 2
	nlbLocalTable      = 251
)

// nlbTransparent lets node e's transparent relays (namespace ns) receive
// their targets' replies, which are addressed to the clients: the
// connections the node opens from an address not its own are marked, and
// what comes back on them is delivered locally (an ip rule of the mark
// to a table whose default route is local), as a TPROXY setup does.
func (pl *planner) nlbTransparent(ns string, e *model.NetworkInterface) {
	pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "nlbtp", Chains: []Chain{
		{Name: "out", Hook: "output", Type: "filter", Priority: -150, Rules: []Rule{
			{OIf: "eth0", NotSrc: e.PrimaryIP(), Proto: model.TCP, CtOriginal: true, Verdict: Verdict{Kind: "ctmark", Mark: nlbTransparentMark},
				Comment: "a relay's connection from its client's address"},
		}},
		{Name: "pre", Hook: "prerouting", Type: "filter", Priority: -150, Rules: []Rule{
			{IIf: "eth0", CtReply: true, CtMark: nlbTransparentMark, Verdict: Verdict{Kind: "mark", Mark: nlbTransparentMark},
				Comment: "the target's reply to a relay's connection: delivered to the node"},
		}},
	}})
	pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, Priority: 4, Mark: nlbTransparentMark, Table: nlbLocalTable})
	pl.route(Route{NS: ns, Table: nlbLocalTable, Dst: netip.PrefixFrom(netip.IPv4Unspecified(), 0), Dev: "lo", Local: true})
	// No early demux: a relay's socket holds a client's address and
	// port, and the kernel's early demux would hand it the packets it
	// looks like the peer of, whatever the route says: a reply that
	// another listener of the node passes through to the same client
	// and port (a TCP listener whose target is the relay's target,
	// source-NATed back to the client: seed 1033 of the differential
	// test) would carry the relay's socket and be dropped by the
	// forwarding path (ip_forward drops a packet a socket holds), so
	// that listener's client timed out whenever the relay's connection
	// from the same client port was still open (or still trying, as
	// to a target that drops it). The relay's own replies still reach
	// it: their connection's mark routes them to the local table.
	// (Optional: a kernel without the per-namespace setting keeps it.)
	pl.p.Sysctls = append(pl.p.Sysctls, Sysctl{NS: ns, Key: "net/ipv4/tcp_early_demux", Value: "0", Optional: true})
}

// dialTransparent connects, from the namespace at path, to the target
// from the client's address and port (IP_TRANSPARENT), with IP_TOS
// carrying the load balancer's DSCP tag; when the client's port is taken
// (a previous connection of the same ports not yet gone), from a port of
// the kernel's choice.
func dialTransparent(ctx context.Context, path string, from, to netip.AddrPort, tag uint8) (net.Conn, error) {
	var c net.Conn
	err := inNetns(path, func() error {
		for _, port := range []uint16{from.Port(), 0} {
			d := net.Dialer{LocalAddr: net.TCPAddrFromAddrPort(netip.AddrPortFrom(from.Addr(), port)),
				Control: func(_, _ string, rc syscall.RawConn) error {
					var serr error
					rc.Control(func(fd uintptr) {
						serr = unix.SetsockoptInt(int(fd), unix.SOL_IP, unix.IP_TRANSPARENT, 1)
						if serr == nil {
							serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
						}
						if serr == nil && tag > 0 {
							serr = unix.SetsockoptInt(int(fd), unix.SOL_IP, unix.IP_TOS, int(tag)<<2)
						}
					})
					return serr
				}}
			var e error
			c, e = d.DialContext(ctx, "tcp", to.String())
			if e == nil || port == 0 || !(errors.Is(e, syscall.EADDRINUSE) || errors.Is(e, syscall.EADDRNOTAVAIL)) {
				return e
			}
		}
		return nil
	})
	return c, err
}

// tlsClientFirst reads the first byte a client of a transparent relay
// sends and reports whether it begins a TLS handshake (a record of type
// handshake, 22); the connection returned gives the byte back first.
func tlsClientFirst(c net.Conn) (net.Conn, bool) {
	b := make([]byte, 1)
	c.SetReadDeadline(time.Now().Add(nlbTLSHandshakeTimeout))
	_, err := io.ReadFull(c, b)
	c.SetReadDeadline(time.Time{})
	if err != nil || b[0] != 22 {
		return c, false
	}
	return &readAhead{Conn: c, first: b}, true
}

// readAhead is a connection whose first bytes were read ahead.
type readAhead struct {
	net.Conn
	first []byte
}

func (r *readAhead) Read(p []byte) (int, error) {
	if len(r.first) > 0 {
		n := copy(p, r.first)
		r.first = r.first[n:]
		return n, nil
	}
	return r.Conn.Read(p)
}

// NetConn is the connection underneath (elbproxy's reset finds it).
func (r *readAhead) NetConn() net.Conn { return r.Conn }

// nlbTLSHandshakeTimeout is how long a node waits for a client's (or a
// target's) TLS handshake [choice].
const nlbTLSHandshakeTimeout = 10 * time.Second

// endTLS completes a client's TLS handshake with the node's certificate;
// a client that fails it (a plain HTTP request) is reset.
func (r *tcpRelay) endTLS(c net.Conn) (net.Conn, bool) {
	tc := tls.Server(c, r.tlsConfig)
	c.SetDeadline(time.Now().Add(nlbTLSHandshakeTimeout))
	if err := tc.Handshake(); err != nil {
		resetConn(c)
		return nil, false
	}
	c.SetDeadline(time.Time{})
	return tc, true
}

// tlsToTarget opens the node's TLS connection to a target over t, its
// certificate not validated ("The load balancer does not validate these
// certificates"); t is closed when the handshake fails.
func tlsToTarget(ctx context.Context, t net.Conn) (net.Conn, error) {
	tc := tls.Client(t, &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) //nolint:gosec // ELB does not validate its targets' certificates
	if err := tc.HandshakeContext(ctx); err != nil {
		t.Close()
		return nil, err
	}
	return tc, nil
}

// NLBEndsTLS reports whether an NLB's node ends listener l's TLS itself
// (nlbTLSTermination): a TLS listener, but one forwarding to an ipv6
// target group that preserves the client's IP address.
func NLBEndsTLS(st *model.State, l *model.Listener) bool {
	if l.Protocol != "TLS" {
		return false
	}
	for _, a := range l.DefaultActions {
		if arn := a.MainTargetGroup(); a.Type == "forward" && arn != "" {
			if tg := st.TargetGroups[arn]; tg != nil {
				return !nlbPreservesClientIP(tg) || tg.IPAddressType != "ipv6"
			}
		}
	}
	return false
}

// NodeEndsTLS reports whether the load balancer node at to (its private
// or public address, and a listener's port) ends TLS for its clients.
func (s *System) NodeEndsTLS(to netip.AddrPort) bool {
	lb := reach.LoadBalancerAt(s.st, to.Addr())
	return lb != "" && s.nodeEndsTLS(lb, to)
}

// nodeEndsTLS reports whether the load balancer's node ends TLS on port
// for clients of to's family (a relay of the plan's, nlbTLSTermination).
func (s *System) nodeEndsTLS(lbARN string, to netip.AddrPort) bool {
	for _, x := range s.plan.NLBTranslations {
		if x.LBARN == lbARN && x.TLS != "" && x.Listen.Port() == to.Port() && x.Listen.Addr().Is4() == to.Addr().Is4() {
			return true
		}
	}
	return false
}

// DialTLSNode connects from a node to an NLB's TLS listener that the
// node ends (nodeEndsTLS): the TCP handshake with the node, then a TLS
// handshake with it (its certificate not validated), then a read of what
// the target's application answers through it. plain sends a plain HTTP
// request instead of the TLS handshake (an http:// URL), which the node
// fails: the reset is refused. After the handshake, a reset (the node's
// TLS with the target failed, or the target refused) is refused; an
// answer, or the connection's close, connected.
func (s *System) DialTLSNode(ctx context.Context, from string, sport uint16, to netip.AddrPort, host string, plain bool) Outcome {
	path, src, err := s.sourceTo(from, to.Addr())
	if err != nil {
		return Outcome{Verdict: reach.Unknown, Detail: err.Error()}
	}
	ctx, cancel := s.ctx(ctx)
	defer cancel()
	c, err := dialIn(ctx, path, "tcp", src, sport, to.String())
	if err != nil {
		return errOutcome(err)
	}
	defer c.Close()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	conn := c
	if plain {
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", host)
	} else {
		tc := tls.Client(c, &tls.Config{InsecureSkipVerify: true, ServerName: host, MinVersion: tls.VersionTLS12}) //nolint:gosec // the node's certificate is generated at up
		if err := tc.HandshakeContext(ctx); err != nil {
			return tlsNodeOutcome(err, "the TLS handshake with the load balancer failed")
		}
		conn = tc
	}
	n, err := conn.Read(make([]byte, 512))
	switch {
	case n > 0:
		if plain {
			return Outcome{Verdict: reach.Unknown, Detail: "the load balancer's TLS listener answered a plain HTTP request"}
		}
		return Outcome{Verdict: reach.Connected, Detail: "connected from " + c.LocalAddr().String() + ", TLS ended at the load balancer; the target answered"}
	case plain:
		return tlsNodeOutcome(err, "a plain HTTP request to the load balancer's TLS listener")
	case errors.Is(err, io.EOF):
		return Outcome{Verdict: reach.Connected, Detail: "connected from " + c.LocalAddr().String() + ", TLS ended at the load balancer; the target closed the connection"}
	}
	out := tlsNodeOutcome(err, "TLS ended at the load balancer, then")
	if out.Verdict == reach.Timeout {
		// The handshake completed and the target took the connection
		// without answering in time: connected.
		return Outcome{Verdict: reach.Connected, Detail: "connected from " + c.LocalAddr().String() + ", TLS ended at the load balancer; no answer from the target"}
	}
	return out
}

// tlsNodeOutcome is the outcome of a connection to a node that ends TLS
// failing with err: a reset is refused, a timeout a timeout.
func tlsNodeOutcome(err error, what string) Outcome {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return Outcome{Verdict: reach.Refused, Detail: what + ": the load balancer reset the connection"}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return Outcome{Verdict: reach.Timeout, Detail: what + ": " + err.Error()}
	case errors.Is(err, io.EOF):
		return Outcome{Verdict: reach.Refused, Detail: what + ": the load balancer closed the connection"}
	}
	return Outcome{Verdict: reach.Unknown, Detail: what + ": " + err.Error()}
}

// NLBTLSTargetGroup reports whether the NLB listener l forwards to a
// target group of protocol TLS (probes of it: DialTLSThrough).
func NLBTLSTargetGroup(st *model.State, l *model.Listener) bool {
	if l.Protocol != "TLS" {
		return false
	}
	for _, a := range l.DefaultActions {
		if arn := a.MainTargetGroup(); a.Type == "forward" && arn != "" {
			if tg := st.TargetGroups[arn]; tg != nil && tg.Protocol == "TLS" {
				return true
			}
		}
	}
	return false
}

// DialTLSThrough connects from a node (from a client port: 0, the
// kernel's choice) to an NLB's TLS listener whose target group is TLS
// (DialTLSNode where the node ends TLS): the TCP handshake through the node (the target's),
// then a TLS handshake with the target's application, its certificate
// not validated (as the NLB does not validate its targets'). A handshake
// the application fails is refused: the NLB resets the client.
func (s *System) DialTLSThrough(ctx context.Context, from string, sport uint16, to netip.AddrPort) Outcome {
	if lb := reach.LoadBalancerAt(s.st, to.Addr()); lb != "" && s.nodeEndsTLS(lb, to) {
		// The node ends TLS itself (ip targets): the client's handshake
		// is the node's, the target's the node's own.
		return s.DialTLSNode(ctx, from, sport, to, "", false)
	}
	path, src, err := s.sourceTo(from, to.Addr())
	if err != nil {
		return Outcome{Verdict: reach.Unknown, Detail: err.Error()}
	}
	ctx, cancel := s.ctx(ctx)
	defer cancel()
	c, err := dialIn(ctx, path, "tcp", src, sport, to.String())
	if err != nil {
		return errOutcome(err)
	}
	defer c.Close()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	tc := tls.Client(c, &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) //nolint:gosec // ELB does not validate its targets' certificates
	if err := tc.HandshakeContext(ctx); err != nil {
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
			return Outcome{Verdict: reach.Timeout, Detail: "the target's TLS handshake did not finish: " + err.Error()}
		}
		if errors.Is(err, syscall.ECONNRESET) {
			return Outcome{Verdict: reach.Refused, Detail: "connection reset during the TLS handshake with the target"}
		}
		return Outcome{Verdict: reach.Refused, Detail: "the target does not speak TLS (" + err.Error() + "): the NLB's handshake with it fails and it resets the client"}
	}
	return Outcome{Verdict: reach.Connected, Detail: "connected from " + c.LocalAddr().String() + ", TLS with the target"}
}
