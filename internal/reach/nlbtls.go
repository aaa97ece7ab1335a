package reach

import (
	"cmp"
	"net/netip"
	"strconv"
)

// A Network Load Balancer's TLS listener ends the client's TLS with the
// listener's certificate; its target group's protocol is what the load
// balancer then speaks to the target: TCP, the decrypted bytes in plain;
// TLS, a new TLS connection to the target ("If a target group is
// configured with the TLS protocol, the load balancer establishes TLS
// connections with the targets using certificates that you install on
// the targets. The load balancer does not validate these certificates",
// NLB User Guide, load-balancer-target-groups.html, "Routing
// configuration"). A target whose application does not speak TLS fails
// that handshake, and the load balancer resets the client's connection
// after the client's own handshake with the listener completed
// ([probable]: ELB documents no answer for it; as a Classic SSL
// listener's failed back-end handshake). The health checks of a TLS
// target group are TCP by default (the ELB API's HealthCheckProtocol:
// "For Network Load Balancers … the default is TCP"; TLS is no health
// check protocol), which only connect: the target is healthy while every
// client is reset.

// nlbTLSToTarget judges a connection an NLB's TLS target group made to a
// target's port, v being Connected: refused (the client's connection
// reset) when the application there is known not to speak TLS.
func (t *tracer) nlbTLSToTarget(l *listenerNode, tg *tgNode, x *lbTarget, v Verdict, out *lbOutcome) Verdict {
	if tg.tg.Protocol != "TLS" {
		return v
	}
	tls, known, app := t.appTLS(x, x.t.Port)
	if !known || tls {
		return v
	}
	v = Refused
	t.block(&out.backend, v, func() Explanation {
		who := x.t.ID + ":" + strconv.Itoa(int(x.t.Port))
		// Only a TLS listener forwards to a TLS target group (ELB's
		// CreateListener and ModifyListener refuse any other).
		m := "the TLS listener " + l.comp.Name + " ends the client's TLS with its certificate, and the target group " + tg.comp.Name + " has the protocol TLS: the NLB opens a new TLS connection to " + who +
			", where " + app.String() + " does not speak TLS, so that handshake fails and the NLB resets the client's connection. " +
			nlbTLSHealthNote(tg, x) +
			"Serve TLS on port " + strconv.Itoa(int(x.t.Port)) + " in the application, or forward to a target group of protocol TCP (the NLB then sends the decrypted bytes in plain; a target group's protocol cannot be changed)"
		return Explanation{Code: CodeNLBTLSTargetHandshake, Path: "forward", Component: tg.comp, Decided: tg.comp, Address: x.addr, Port: x.t.Port, Message: m, clause: m}
	})
	return v
}

// nlbTLSHealthNote says what the target group's health checks make of a
// target that does not speak TLS: a TCP check (a TLS group's default)
// or an HTTP one passes, so the target is healthy while its clients are
// reset; an HTTPS check fails its handshake too.
func nlbTLSHealthNote(tg *tgNode, x *lbTarget) string {
	hc := tg.tg.HealthCheck
	proto := cmp.Or(hc.Protocol, "TCP")
	check := proto + ":" + strconv.Itoa(int(x.hcPort))
	switch {
	case x.health.reason != "":
		return "(The target is unhealthy too: its health check " + check + " fails.) "
	case proto == "TCP":
		return "Its health check " + check + " (TCP, an NLB target group's default) only connects, so the target is healthy while every client is reset. "
	case proto == "HTTP":
		return "Its health check " + check + " is plain HTTP, so the target is healthy while every client is reset. "
	}
	return ""
}

// plainToNLBTLS answers a plain HTTP request (Query.PlainHTTP, an
// http:// URL) to an NLB's TLS listener: the node expects a TLS
// ClientHello, fails the handshake on the request's bytes and resets the
// connection before any target is chosen (refused, [probable]: an NLB
// answers nothing in HTTP; its TLS listener only negotiates TLS), when
// the node has a target to send to at all. It reports whether it
// answered.
func (t *tracer) plainToNLBTLS(node *eniNode, l *listenerNode, q *Query, fwd *[]Hop, out *lbOutcome) bool {
	if q == nil || !q.PlainHTTP || l.l.Protocol != "TLS" {
		return false
	}
	// A node with no target to send to accepts no connection, as for a
	// TLS client (toTargets: timeout); the handshake it would fail is
	// never reached.
	act, ok := terminalAction(l.l.DefaultActions)
	if !ok {
		return false
	}
	tg := t.forwardTarget(act)
	if tg == nil {
		return false
	}
	if targets, _ := t.targetsFor(node, l.lb, tg); len(targets) == 0 {
		return false
	}
	out.verdict, out.what = Refused, "plain-http"
	p := t.pkt(node.primary, t.clientPort, netip.Addr{}, 0)
	seq := t.add(fwd, false, Hop{Action: ActionResponded, Blocked: true, Component: l.comp, AttachedTo: l.lb.comp, Packet: p})
	t.block(&out.backend, out.verdict, func() Explanation {
		m := "the client sends plain HTTP (an http:// URL) to the listener " + l.comp.Name + ", which is TLS: the Network Load Balancer expects a TLS handshake, fails it on the request's bytes and resets the connection (it answers nothing in HTTP). " +
			"Call it with https:// (or connect over TLS), or add a TCP listener on another port for plain clients"
		return Explanation{Code: CodePlainHTTPToHTTPSListener, Path: "forward", Hop: seq, Component: l.comp, Decided: l.comp, Port: l.l.Port, Message: m, clause: m}
	})
	return true
}
