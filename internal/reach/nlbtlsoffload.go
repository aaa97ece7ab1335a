package reach

import "strconv"

// CodeNLBTLSListenerPlainToTLSTarget: a Network Load Balancer's TLS
// listener ends the client's TLS and forwards to a target group of
// protocol TCP, which sends the decrypted bytes in plain, to a target
// whose application serves TLS on the port: it reads the client's request
// as a broken TLS handshake and answers 400 (nginx: "The plain HTTP
// request was sent to HTTPS port"; Go's net/http: "Client sent an HTTP
// request to an HTTPS server"). The TCP health check (a TCP group's
// default) only connects, so the target stays healthy. NLB User Guide,
// load-balancer-target-groups.html, "Routing configuration": a TCP group
// behind a TLS listener gets the decrypted traffic; "If a target group is
// configured with the TLS protocol, the load balancer establishes TLS
// connections with the targets". ecsnet's own code.
const CodeNLBTLSListenerPlainToTLSTarget = "ECS_NLB_TLS_OFFLOAD_TO_TLS_TARGET"

// nlbPlainToTLSTarget judges a connection a TLS listener's TCP target
// group made to a target, v being Connected: 400 for an HTTP request
// (the query's path) when the application at the target's port is known
// to serve TLS (the reverse of nlbTLSToTarget); a note for a client that
// sends no request ([choice]: an NLB probe is a TCP or TLS connection,
// as the data plane's oracle dials it).
func (t *tracer) nlbPlainToTLSTarget(l *listenerNode, tg *tgNode, x *lbTarget, v Verdict, out *lbOutcome) Verdict {
	if l.l.Protocol != "TLS" || tg.tg.Protocol != "TCP" {
		return v
	}
	tls, known, app := t.appTLS(x, x.t.Port)
	if !known || !tls {
		return v
	}
	if t.query == nil || t.query.HTTPPath == "" {
		// A client of the NLB that sends no HTTP request (a TCP or TLS
		// client, the probe's own): the connection stands and the
		// application answers what it makes of the bytes; an HTTP
		// client's request (a path given) gets the 400 below.
		t.info(func() Explanation {
			m := "the TLS listener " + l.comp.Name + " ends the client's TLS and the target group " + tg.comp.Name + " has the protocol TCP: the NLB sends the decrypted bytes in plain to " +
				x.t.ID + ":" + strconv.Itoa(int(x.t.Port)) + ", where " + app.String() + " serves TLS: an HTTP client's request gets 400 Bad Request (probe with a path to see it)"
			return Explanation{Code: CodeNLBTLSListenerPlainToTLSTarget, Path: "forward", Component: tg.comp, Address: x.addr, Port: x.t.Port, Message: m}
		})
		return v
	}
	v = HTTPVerdict(400)
	health := ""
	switch hc := tg.tg.HealthCheck; {
	case x.health.reason != "":
		health = "(The target is unhealthy too: its health check fails.) "
	case hc.Protocol == "" || hc.Protocol == "TCP":
		health = "Its TCP health check (a TCP target group's default) only connects, so the target is healthy. "
	}
	t.block(&out.backend, v, func() Explanation {
		who := x.t.ID + ":" + strconv.Itoa(int(x.t.Port))
		m := "the TLS listener " + l.comp.Name + " ends the client's TLS with its certificate, and the target group " + tg.comp.Name + " has the protocol TCP: the NLB sends the decrypted request in plain to " + who +
			", where " + app.String() + " serves TLS, reads the request as a broken handshake and answers 400 Bad Request (nginx: \"The plain HTTP request was sent to HTTPS port\"). " +
			health + "Forward to a target group of protocol TLS (the NLB then opens TLS to the target; a target group's protocol cannot be changed), or serve plain HTTP on port " + strconv.Itoa(int(x.t.Port)) + " in the application"
		return Explanation{Code: CodeNLBTLSListenerPlainToTLSTarget, Path: "forward", Component: tg.comp, Decided: tg.comp, Address: x.addr, Port: x.t.Port, Message: m, clause: m}
	})
	return v
}
