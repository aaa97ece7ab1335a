package reach

import (
	"cmp"
	"net/netip"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

const (
	tcpBit uint8 = 1 << iota
	udpBit
)

// listenerProtocols returns the transport protocols a listener accepts.
func listenerProtocols(p string) uint8 {
	switch p {
	case "UDP":
		return udpBit
	case "TCP_UDP":
		return tcpBit | udpBit
	}
	return tcpBit // HTTP, HTTPS, TCP, TLS
}

func protoBit(p model.Protocol) uint8 {
	if p == model.UDP {
		return udpBit
	}
	return tcpBit
}

// listener returns the listener on a protocol and port, or nil.
func (lb *lbNode) listener(proto model.Protocol, port uint16) *listenerNode {
	for _, l := range lb.listeners {
		if l.l.Port == port && listenerProtocols(l.l.Protocol)&protoBit(proto) != 0 {
			return l
		}
	}
	return nil
}

func (lb *lbNode) isALB() bool { return lb.lb.Type == "application" }

func (lb *lbNode) listenerList() string {
	if len(lb.listeners) == 0 {
		return "none"
	}
	var s []string
	for _, l := range lb.listeners {
		s = append(s, l.l.Protocol+":"+strconv.Itoa(int(l.l.Port)))
	}
	return strings.Join(s, ", ")
}

// lbOutcome is what a load balancer did with a client's connection.
type lbOutcome struct {
	verdict  Verdict // for the client
	backend  flowState
	listener *listenerNode
	tg       *tgNode
	target   *TargetOutcome
	// what is "fixed-response", "redirect", "forward" or "" (no listener).
	what string
	// rule is the ALB rule that matched (nil: the default action, when
	// ruleChecked); request is "GET /path".
	rule        *model.ListenerRule
	ruleChecked bool
	request     string
	// chosen is the target the reported path goes to.
	chosen *lbTarget
}

// loadBalancer handles a client flow that reached a load balancer node:
// the node's security groups, the listener, the rules (ALB), the target
// group, and a new connection from the node to a target (reference §5).
func (t *tracer) loadBalancer(fs *flowState, f *flow, a *arrival, q *Query, fwd, ret *[]Hop) lbOutcome {
	node := a.eni
	lb := node.lb
	p := t.pkt(a.srcSeen, f.sport, a.dstAddr, f.dport)
	t.sgCheck(fs, fwd, false, node, false, p, a.srcSeen, a.srcRef, f.via)
	out := lbOutcome{backend: newFlowState()}
	if lb.lb.State != "active" {
		seq := t.add(fwd, false, Hop{Action: ActionDropped, Blocked: true, Component: lb.comp, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			m := "the load balancer " + lb.lb.Name + " is " + lb.lb.State + ", not active"
			return Explanation{Code: CodeBadState, Path: "forward", Hop: seq, Component: lb.comp, Message: m, clause: m}
		})
	}
	l := lb.listener(t.proto, f.dport)
	if l == nil {
		seq := t.add(fwd, false, Hop{Action: ActionDropped, Blocked: true, Component: lb.comp, AttachedTo: nil, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			m := "the load balancer " + lb.lb.Name + " has no listener on " + t.protoName() + "/" + strconv.Itoa(int(f.dport)) +
				" (its listeners: " + lb.listenerList() + "); a load balancer drops traffic that matches no listener"
			return Explanation{Code: CodeListenerPortRestriction, Path: "forward", Hop: seq, Component: lb.comp, Port: f.dport, Message: m, clause: m}
		})
		t.reply(fs, f, a, ret)
		out.verdict = Timeout
		return out
	}
	out.listener = l
	t.add(fwd, false, Hop{Action: ActionAccepted, Component: l.comp, AttachedTo: lb.comp, Packet: p})
	var backRet []Hop
	switch {
	case lb.isClassic():
		t.classicRequest(f, node, l, q, fwd, &backRet, &out)
	case lb.isALB():
		t.albRequest(f, node, l, q, fwd, &backRet, &out)
	case t.plainToNLBTLS(node, l, q, fwd, &out): // nlbtls.go
	default:
		t.nlbConnection(f, a, node, l, fwd, &backRet, &out)
	}
	if ret != nil {
		*ret = append(*ret, backRet...)
	}
	// The client's side of the connection: the node answers the client.
	// An NLB passes a target's ICMP port unreachable on to a UDP client
	// (the refusal of a datagram), which network ACLs filter as ICMP.
	t.replyICMP = !lb.isALB() && !lb.isClassic() && t.proto == model.UDP && out.verdict == Refused
	// A TCP listener of an NLB passes the target's reset of the SYN on
	// (no handshake with the client first; a TLS listener's comes after
	// its own handshake).
	t.replyReset = !lb.isALB() && !lb.isClassic() && t.proto == model.TCP && out.verdict == Refused && l.l != nil && (l.l.Protocol == "TCP" || l.l.Protocol == "TCP_UDP")
	t.reply(fs, f, a, ret)
	t.replyICMP, t.replyReset = false, false
	if fs.blocked {
		out.verdict = fs.verdict
	}
	return out
}

// albRequest evaluates an HTTP request an ALB listener accepted: the
// first rule whose conditions match (else the default action).
func (t *tracer) albRequest(f *flow, node *eniNode, l *listenerNode, q *Query, fwd, ret *[]Hop, out *lbOutcome) {
	if t.plainHTTPToHTTPS(node, l, q, fwd, out) {
		return
	}
	actions := l.l.DefaultActions
	for _, r := range l.rules {
		if ruleMatches(r, l.regex[r], q, f.src, l.lb) {
			actions = r.Actions
			out.rule = r
			break
		}
	}
	if len(l.rules) > 0 {
		out.ruleChecked = true
		req := q.request(l.lb)
		out.request = req.method + " " + req.path
		if req.query != "" {
			out.request += "?" + req.query
		}
		t.info(func() Explanation {
			m := "the listener " + l.comp.Name + " matches " + out.request + " (Host " + req.host + ") with " + ruleLabel(out.rule)
			if fw := forwarded(out.rule, req); fw.host != req.host || fw.url() != req.url() {
				m += ", whose transforms rewrite it to " + fw.method + " " + fw.url() + " (Host " + fw.host + ")"
			}
			return Explanation{Code: CodeListenerRule, Path: "forward", Component: l.comp, Message: m}
		})
	}
	if t.idpExchange(node, l, q, actions, fwd, out) {
		return
	}
	act, ok := terminalAction(actions)
	p := t.pkt(node.primary, t.clientPort, netip.Addr{}, 0)
	switch {
	case !ok:
		out.verdict = HTTP503
	case act.Type == "fixed-response":
		status := 200
		if act.FixedResponse != nil {
			status, _ = strconv.Atoi(act.FixedResponse.StatusCode)
		}
		out.verdict, out.what = HTTPVerdict(status), "fixed-response"
		seq := t.add(fwd, false, Hop{Action: ActionResponded, Component: l.comp, Packet: p})
		if out.ruleChecked && out.rule == nil && status >= 400 {
			t.info(func() Explanation {
				var rules []string
				for _, r := range l.rules {
					rules = append(rules, ruleLabel(r))
				}
				m := out.request + " matches none of the rules of " + l.comp.Name + " (" + strings.Join(rules, "; ") + "), so its default action answers " + strconv.Itoa(status)
				return Explanation{Code: CodeNoRuleMatched, Path: "forward", Hop: seq, Component: l.comp, Message: m}
			})
		}
		t.info(func() Explanation {
			m := "the listener " + l.comp.Name + " answers with a fixed response " + strconv.Itoa(status)
			return Explanation{Code: CodeFixedResponse, Path: "forward", Hop: seq, Component: l.comp, Message: m}
		})
		return
	case act.Type == "redirect":
		status := 301
		if act.Redirect["StatusCode"] == "HTTP_302" {
			status = 302
		}
		out.verdict, out.what = HTTPVerdict(status), "redirect"
		t.add(fwd, false, Hop{Action: ActionResponded, Component: l.comp, Packet: p, Note: "redirect"})
		return
	}
	out.what = "forward"
	tg := t.forwardTarget(act)
	if tg == nil {
		out.verdict = HTTP503
		seq := t.add(fwd, false, Hop{Action: ActionResponded, Blocked: true, Component: l.comp, Packet: p})
		t.block(&out.backend, HTTP503, func() Explanation {
			m := "the listener " + l.comp.Name + " forwards to no existing target group"
			return Explanation{Code: CodeListenerHasNoTG, Path: "forward", Hop: seq, Component: l.comp, Message: m, clause: m}
		})
		return
	}
	out.tg = tg
	if !t.quiet {
		t.noteWeighted(act, tg, l, out.rule) // weightedforward.go
	}
	if why := protocolVersionMismatch(l, tg, q); why != "" {
		// ALB troubleshooting, HTTP 464: "The load balancer received an
		// incoming request protocol that is incompatible with the version
		// config of the target group protocol."
		out.verdict = HTTPVerdict(StatusProtocolVersionMismatch)
		seq := t.add(fwd, false, Hop{Action: ActionResponded, Blocked: true, Component: l.comp, Packet: p})
		t.block(&out.backend, out.verdict, func() Explanation {
			m := why + ": the load balancer answers 464 (a request protocol incompatible with the target group's protocol version)" + protocolVersionRemedy(l, tg, q)
			return Explanation{Code: CodeLBProtocolVersionMismatch, Path: "forward", Hop: seq, Component: tg.comp, Decided: tg.comp, Message: m, clause: m}
		})
		return
	}
	if req, failed := failedTransform(out.rule, q, l.lb); failed {
		// The load balancer rewrites the request before it opens a
		// connection to a target: a failed rewrite never reaches one.
		out.verdict = HTTPVerdict(500)
		seq := t.add(fwd, false, Hop{Action: ActionResponded, Blocked: true, Component: l.comp, Packet: p})
		r, fw := out.rule, forwarded(out.rule, req)
		t.block(&out.backend, out.verdict, func() Explanation {
			m := "the transforms of " + ruleLabel(r) + " rewrite " + req.url() + " (Host " + req.host + ") to " + strconv.Quote(fw.url()) + " (Host " + strconv.Quote(fw.host) +
				"), which is no request a target can get (a URL starts with /, a host is not empty): the load balancer answers 500. Make the replacement a path that starts with /"
			return Explanation{Code: CodeTransformFailed, Path: "forward", Hop: seq, Component: ruleComp(r), Decided: ruleComp(r), Message: m, clause: m}
		})
		return
	}
	v := t.toTargets(f, node, l, tg, fwd, ret, out)
	switch v {
	case Connected:
		out.verdict = HTTP200
		if out.chosen != nil {
			// The application answers the request's path, in the
			// protocol it speaks.
			fwd := forwarded(out.rule, q.request(l.lb))
			status := t.appStatus(out.chosen, out.chosen.t.Port, fwd.host, fwd.path)
			out.verdict = HTTPVerdict(status)
			tls, known, app := t.appTLS(out.chosen, out.chosen.t.Port)
			if c, ok := socketContainer(app.s); ok && keepAliveTooShort(c, l.lb) {
				// This request is answered; the next on a reused
				// connection may not be.
				t.info(func() Explanation {
					return Explanation{Code: CodeKeepAliveShorterThanIdle, Path: "forward", Component: l.lb.comp, Decided: tg.comp, Message: keepAliveShort(c, l.lb) + "; " + keepAliveHint(c, l.lb)}
				})
			}
			if status == 404 && !(known && tls != (tg.tg.Protocol == "HTTPS")) {
				t.notFound(f, node, l, q, out)
			}
			switch {
			case known && tg.tg.Protocol == "HTTPS" && !tls:
				out.verdict = HTTP502
				x := out.chosen
				t.block(&out.backend, HTTP502, func() Explanation {
					m := "the target group " + tg.comp.Name + " has the protocol HTTPS: the load balancer opens TLS to " + x.t.ID + ":" + strconv.Itoa(int(x.t.Port)) +
						", where " + app.String() + " answers plain HTTP, so the handshake fails and the load balancer answers 502 Bad Gateway. A target group's protocol cannot be changed: forward to a target group of protocol HTTP"
					return Explanation{Code: CodeTargetTLSMismatch, Path: "forward", Component: tg.comp, Address: x.addr, Port: x.t.Port, Message: m, clause: m}
				})
			case known && tg.tg.Protocol == "HTTP" && tls:
				out.verdict = HTTPVerdict(StatusPlainHTTPToTLS)
				x := out.chosen
				t.block(&out.backend, out.verdict, func() Explanation {
					m := "the target group " + tg.comp.Name + " has the protocol HTTP: the load balancer sends plain HTTP to " + x.t.ID + ":" + strconv.Itoa(int(x.t.Port)) +
						", where " + app.String() + " speaks TLS, so it answers 400 Bad Request (a plain HTTP request to an HTTPS port). A target group's protocol cannot be changed: forward to a target group of protocol HTTPS"
					return Explanation{Code: CodeTargetTLSMismatch, Path: "forward", Component: tg.comp, Address: x.addr, Port: x.t.Port, Message: m, clause: m}
				})
			default:
				if secs := t.appResponseSeconds(out.chosen, out.chosen.t.Port, fwd.path); secs > 0 && timedOut(secs, lbIdleTimeout(l.lb)) {
					out.verdict = HTTP504
					t.blockSlow(&out.backend, l.lb, out.chosen, out.chosen.t.Port, app, fwd.path, secs)
				}
			}
		}
	case Refused, Unknown:
		out.verdict = HTTP502
	case Timeout, NoRoute:
		out.verdict = HTTP504
	default:
		out.verdict = v
	}
}

// StatusPlainHTTPToHTTPSListener is what an ALB's (or a Classic Load
// Balancer's) HTTPS listener answers a plain HTTP request with: 400, "The
// plain HTTP request was sent to HTTPS port" (AWS re:Post, "400 Bad
// Request" errors of API Gateway private integrations to an ALB's HTTPS
// listener).
const StatusPlainHTTPToHTTPSListener = 400

// plainHTTPToHTTPS answers a plain HTTP request (Query.PlainHTTP) to an
// HTTPS listener: the node reads it where it expects a TLS handshake and
// answers 400 before any rule or target is looked at. It reports whether
// it answered.
func (t *tracer) plainHTTPToHTTPS(node *eniNode, l *listenerNode, q *Query, fwd *[]Hop, out *lbOutcome) bool {
	if q == nil || !q.PlainHTTP || l.l.Protocol != "HTTPS" {
		return false
	}
	out.verdict, out.what = HTTPVerdict(StatusPlainHTTPToHTTPSListener), "plain-http"
	p := t.pkt(node.primary, t.clientPort, netip.Addr{}, 0)
	seq := t.add(fwd, false, Hop{Action: ActionResponded, Blocked: true, Component: l.comp, AttachedTo: l.lb.comp, Packet: p})
	t.block(&out.backend, out.verdict, func() Explanation {
		m := "the client sends plain HTTP (an http:// URL) to the listener " + l.comp.Name + ", which is HTTPS: the load balancer expects a TLS handshake and answers 400 Bad Request (\"The plain HTTP request was sent to HTTPS port\"). " +
			"Call it with https://, or serve plain HTTP on an HTTP listener of another port whose default action redirects to HTTPS (HTTP_301 to port " + strconv.Itoa(int(l.l.Port)) + ")"
		return Explanation{Code: CodePlainHTTPToHTTPSListener, Path: "forward", Hop: seq, Component: l.comp, Decided: l.comp, Port: l.l.Port, Message: m, clause: m}
	})
	return true
}

// notFound explains a 404 the chosen target answered to a request a
// listener rule forwarded: a later rule that matches the request too and
// forwards to another target group, which the earlier rule shadows (rules
// are evaluated from the lowest priority number up, the first match wins);
// or a path-pattern prefix the application does not serve (the load
// balancer forwards the path as it came: a path condition chooses the
// rule, it does not strip its prefix). Elastic Load Balancing User Guide,
// listener-rules.html and rule-condition-types.html#path-conditions.
func (t *tracer) notFound(f *flow, node *eniNode, l *listenerNode, q *Query, out *lbOutcome) {
	r, x, tg := out.rule, out.chosen, out.tg
	if r == nil || x == nil || tg == nil || x.eni == nil {
		return
	}
	req := q.request(l.lb)
	after := false
	for _, later := range l.rules {
		if later == r {
			after = true
			continue
		}
		if !after || !ruleMatches(later, l.regex[later], q, f.src, l.lb) {
			continue
		}
		act, ok := terminalAction(later.Actions)
		if !ok || act.Type != "forward" {
			continue
		}
		other := t.forwardTarget(act)
		if other == nil || other == tg || !t.answersPath(node, l.lb, other, forwarded(later, req).path) {
			continue
		}
		t.block(&out.backend, out.verdict, func() Explanation {
			m := out.request + " matches " + ruleLabel(r) + " of " + l.comp.Name + " first, which forwards it to " + tg.comp.Name +
				", where " + x.name + " answers 404; " + ruleLabel(later) + " matches it too and forwards to " + other.comp.Name +
				", but the load balancer evaluates rules from the lowest priority number up and stops at the first match: give " +
				ruleComp(later).Name + " a lower number than " + ruleComp(r).Name + " (aws elbv2 set-rule-priorities)"
			clause := x.name + " answers 404: " + ruleComp(r).Name + " shadows " + ruleLabel(later) + ", which matches too and forwards to " + other.comp.Name +
				" (rules are evaluated from the lowest priority number up; the first match wins)"
			return Explanation{Code: CodeRuleShadowed, Path: "forward", Component: ruleComp(later), Decided: ruleComp(r),
				Address: x.addr, Port: x.t.Port, Message: m, clause: clause}
		})
		return
	}
	if forwarded(r, req).path != req.path {
		// The rule's URL rewrite changed the path: the application
		// answers the rewritten one with 404, no prefix left to strip.
		return
	}
	for _, c := range r.Conditions {
		if c.Field != "path-pattern" {
			continue
		}
		for _, v := range c.Values {
			prefix, _, ok := strings.Cut(v, "*")
			prefix = strings.TrimSuffix(prefix, "/")
			if !ok || prefix == "" || strings.Contains(prefix, "?") || !strings.HasPrefix(req.path, prefix+"/") {
				continue
			}
			rest := req.path[len(prefix):]
			if t.appStatus(x, x.t.Port, "", rest) == 404 {
				continue
			}
			comp := x.eni.comp
			if x.eni.task != nil {
				comp = x.eni.task.comp
			}
			t.block(&out.backend, out.verdict, func() Explanation {
				m := "the load balancer forwards " + out.request + " to " + x.name + " of " + tg.comp.Name + " with the path as it came: the path pattern " + v +
					" of " + ruleLabel(r) + " chooses the rule, it does not strip " + prefix + ". The application answers " + req.path + " with 404 and serves " + rest +
					": serve its routes under " + prefix + " (a base path in the application), or rewrite the path with a URL rewrite transform on the rule"
				clause := x.name + " answers 404 on " + req.path + ": the path pattern " + v + " does not strip " + prefix + ", and the application serves " + rest
				return Explanation{Code: CodePathNotRewritten, Path: "forward", Component: comp, NetworkInterface: x.eni.comp, Decided: ruleComp(r),
					Address: x.addr, Port: x.t.Port, Message: m, clause: clause}
			})
			return
		}
	}
}

// answersPath reports whether a target of tg the node can send to
// answers path with another status than 404: the shadowed rule's target
// group serves the request (a path no application serves is not a
// shadowing).
func (t *tracer) answersPath(node *eniNode, lb *lbNode, tg *tgNode, path string) bool {
	targets, _ := t.targetsFor(node, lb, tg)
	for i := range targets {
		if x := &targets[i]; x.eni != nil && t.appStatus(x, x.t.Port, "", path) != 404 {
			return true
		}
	}
	return false
}

// ruleComp is a listener rule as a component: its ARN, named by its
// priority.
func ruleComp(r *model.ListenerRule) *Component {
	return &Component{Type: "listener-rule", ARN: r.ARN, Name: "rule " + strconv.Itoa(r.Priority)}
}

// nlbConnection evaluates a connection an NLB listener accepted: the NLB
// passes TCP through, so the client sees the target's answer.
func (t *tracer) nlbConnection(f *flow, a *arrival, node *eniNode, l *listenerNode, fwd, ret *[]Hop, out *lbOutcome) {
	act, ok := terminalAction(l.l.DefaultActions)
	var tg *tgNode
	if ok {
		tg = t.forwardTarget(act)
	}
	out.what = "forward"
	if tg == nil {
		out.verdict = Timeout
		t.block(&out.backend, Timeout, func() Explanation {
			m := "the listener " + l.comp.Name + " forwards to no existing target group"
			return Explanation{Code: CodeListenerHasNoTG, Path: "forward", Component: l.comp, Message: m, clause: m}
		})
		return
	}
	out.tg = tg
	// A client reaches the node from the address the node sees: its
	// public IP when the way led through internet gateways (an
	// internet-facing NLB reached from a VPC), which is what a target
	// sees with client IP preservation (found by the differential test,
	// seed 2078).
	c := *f
	if a != nil && a.srcSeen.IsValid() && a.srcSeen != f.src {
		c.seen = a.srcSeen
	}
	out.verdict = t.toTargets(&c, node, l, tg, fwd, ret, out)
	if out.verdict == Unknown && tg.tg.TargetType != "alb" {
		out.verdict = Timeout
	}
}

// terminalAction returns the action that ends a rule's action list
// (forward, fixed-response or redirect).
func terminalAction(actions []model.ListenerAction) (model.ListenerAction, bool) {
	var best model.ListenerAction
	found := false
	for _, a := range actions {
		switch a.Type {
		case "forward", "fixed-response", "redirect":
			if !found || a.Order >= best.Order {
				best, found = a, true
			}
		}
	}
	return best, found
}

// percent is part's share of total, "25 %" (rounded to the nearest).
func percent(part, total int) string {
	return strconv.Itoa((part*200+total)/(2*total)) + " %"
}

// request is the HTTP request a probe sends through an ALB.
type request struct {
	method, host, path, query string
	headers                   map[string]string // lower-case names
}

// url is the request's path with its query string.
func (r request) url() string {
	if r.query != "" {
		return r.path + "?" + r.query
	}
	return r.path
}

// transformFails reports whether a rule's transforms matched the request
// and left no request a target can get: a rewritten URL that does not start
// with / or an empty host ("If there is a pattern match but the transform
// fails, we return an HTTP 500 error", ALB User Guide, "Transforms for
// listener rules"; what fails is ecsnet's reading).
func transformFails(r *model.ListenerRule, req request) bool {
	fw := forwarded(r, req)
	return (fw.url() != req.url() && !strings.HasPrefix(fw.path, "/")) || (fw.host != req.host && fw.host == "")
}

// failedTransform is the request, and whether the rule's transforms fail
// it (transformFails); the request is built only for a rule that has
// transforms, as few rules do.
func failedTransform(r *model.ListenerRule, q *Query, lb *lbNode) (request, bool) {
	if r == nil || len(r.Transforms) == 0 {
		return request{}, false
	}
	req := q.request(lb)
	return req, transformFails(r, req)
}

// forwarded is the request a rule sends to its targets: rewritten by the
// rule's transforms (the host header, and the URL, path and query string),
// after the conditions chose the rule on the request as it came (ALB User
// Guide, "Transforms for listener rules"). A nil rule (the default
// action) takes none.
func forwarded(r *model.ListenerRule, req request) request {
	if r == nil || len(r.Transforms) == 0 {
		return req
	}
	host, u := model.ApplyTransforms(r.Transforms, req.host, req.url())
	out := req
	out.host = host
	out.path, out.query, _ = strings.Cut(u, "?")
	return out
}

func (q *Query) request(lb *lbNode) request {
	r := request{method: "GET", host: lb.lb.DNSName, path: "/"}
	if q == nil {
		return r
	}
	if q.To.host != "" && q.To.lb == lb {
		r.host = q.To.host
	}
	if q.HTTPPath != "" {
		r.path = q.HTTPPath
	}
	if p, qs, ok := strings.Cut(r.path, "?"); ok {
		r.path, r.query = p, qs
	}
	if q.HTTPHost != "" {
		r.host = q.HTTPHost
	}
	if q.HTTPMethod != "" {
		r.method = strings.ToUpper(q.HTTPMethod)
	}
	r.headers = map[string]string{}
	for k, v := range q.HTTPHeaders {
		r.headers[strings.ToLower(k)] = v
	}
	return r
}

// ruleMatches reports whether an ALB rule's conditions all match the
// request (ALB User Guide, "Listener rules", condition types): each
// condition matches when one of its values does; path-pattern is case
// sensitive and tests the path without the query string; host-header
// values test the host without a port; host-header and http-header values
// are case-insensitive; * and ? are wildcards;
// http-request-method is an exact, case-sensitive name; query-string
// pairs match case-insensitively (an empty key matches any key);
// source-ip tests the client's address. A condition with RegexValues
// (re, compiled with the network, by condition index) matches when one of
// its expressions matches the path, the Host header as sent or the
// header's value, case sensitive as written [choice].
func ruleMatches(r *model.ListenerRule, re [][]*regexp.Regexp, q *Query, client netip.Addr, lb *lbNode) bool {
	req := q.request(lb)
	for i, c := range r.Conditions {
		if len(c.RegexValues) > 0 {
			var res []*regexp.Regexp
			if i < len(re) {
				res = re[i]
			}
			ok := false
			switch c.Field {
			case "path-pattern":
				ok = model.MatchAnyRegex(res, req.path)
			case "host-header":
				ok = model.MatchAnyRegex(res, req.host)
			case "http-header":
				h, found := req.headers[strings.ToLower(c.HeaderName)]
				ok = found && model.MatchAnyRegex(res, h)
			}
			if !ok {
				return false
			}
			continue
		}
		ok := false
		for _, v := range c.Values {
			switch c.Field {
			case "path-pattern":
				ok = ok || globMatch(v, req.path)
			case "host-header":
				ok = ok || globMatch(strings.ToLower(v), strings.ToLower(model.HostName(req.host)))
			case "http-request-method":
				ok = ok || v == req.method
			case "http-header":
				if h, found := req.headers[strings.ToLower(c.HeaderName)]; found {
					ok = ok || globMatch(strings.ToLower(v), strings.ToLower(h))
				}
			case "query-string":
				key, val, _ := strings.Cut(v, "=")
				for _, pair := range strings.Split(req.query, "&") {
					k, x, _ := strings.Cut(pair, "=")
					if (key == "" || globMatch(strings.ToLower(key), strings.ToLower(k))) && globMatch(strings.ToLower(val), strings.ToLower(x)) && pair != "" {
						ok = true
					}
				}
			case "source-ip":
				if p, err := netip.ParsePrefix(v); err == nil && p.Contains(client) {
					ok = true
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// ruleLabel names a rule: its priority, its Name tag and its conditions.
func ruleLabel(r *model.ListenerRule) string {
	if r == nil {
		return "the default action"
	}
	s := "rule " + strconv.Itoa(r.Priority)
	if n := r.Tags.Name(); n != "" {
		s += " (" + n + ")"
	}
	var conds []string
	for _, c := range r.Conditions {
		f := c.Field
		if c.Field == "http-header" {
			f += " " + c.HeaderName
		}
		if len(c.RegexValues) > 0 {
			conds = append(conds, f+" matching "+strings.Join(c.RegexValues, " or "))
			continue
		}
		conds = append(conds, f+" "+strings.Join(c.Values, " or "))
	}
	if len(conds) > 0 {
		s += " [" + strings.Join(conds, ", ") + "]"
	}
	return s
}

// globMatch matches ALB wildcards: * (any characters) and ? (one).
func globMatch(pattern, s string) bool {
	// path.Match treats '/' specially; ALB wildcards do not.
	pattern = strings.ReplaceAll(pattern, "/", "\x00")
	s = strings.ReplaceAll(s, "/", "\x00")
	ok, err := path.Match(strings.ReplaceAll(strings.ReplaceAll(pattern, "[", "\\["), "]", "\\]"), s)
	return err == nil && ok
}

// lbTarget is a registered target the node may send to.
type lbTarget struct {
	t        model.Target
	addr     netip.Addr
	eni      *eniNode
	name     string
	hcPort   uint16
	health   healthOutcome // of a health check from the node
	traffic  Verdict       // of a connection on the registered port from the node
	instance *instanceNode
}

// targetsFor returns the targets a load balancer node can send to, with
// their addresses, in registration order. Draining targets, targets in
// zones the load balancer does not serve and (NLB without cross-zone)
// targets in other zones are left out; registered reports whether any
// target was registered at all.
func (t *tracer) targetsFor(node *eniNode, lb *lbNode, tg *tgNode) (out []lbTarget, registered bool) {
	outsideAll := outsideVPCInAllZones(lb, tg.tg)
	for _, x := range tg.tg.Targets.All() {
		if x.Draining {
			continue
		}
		registered = true
		if tg.tg.TargetType == "alb" {
			// An Application Load Balancer registered in a Network Load
			// Balancer's target group: the node sends to the ALB's node
			// in its own zone (the ALB's zones are the target's), which
			// connect reports as a chained load balancer.
			alb := t.n.lbs[x.ID]
			if alb == nil || len(alb.nodes) == 0 {
				continue
			}
			e := alb.nodes[0]
			for i, z := range alb.zones {
				if z == node.eni.AvailabilityZone {
					e = alb.nodes[i]
				}
			}
			out = append(out, lbTarget{t: x, hcPort: hcPort(tg.tg, x), eni: e, addr: e.primary, name: alb.lb.Name})
			continue
		}
		a, isIP := x.TargetAddr()
		zone := t.n.targetZoneAt(outsideAll, tg.tg, x, a, isIP)
		if zone != "all" && !slices.Contains(lb.zones, zone) {
			continue
		}
		if !crossZone(lb, tg) && zone != "all" && zone != node.eni.AvailabilityZone {
			continue
		}
		y := lbTarget{t: x, hcPort: hcPort(tg.tg, x)}
		if isIP {
			y.addr = a
			y.eni = t.n.eniAt(tg.tg.VpcID, a)
		} else if i := t.n.instances[model.InstanceID(x.ID)]; i != nil && i.primary != nil {
			y.instance, y.eni, y.addr = i, i.primary, i.primary.primary
			if tg.tg.IPAddressType == "ipv6" {
				// An IPv6 target group reaches an instance at the
				// first IPv6 address of its primary interface.
				y.addr = i.primary.v6
				if !y.addr.IsValid() {
					continue
				}
			}
			y.name = i.name
			if !i.running {
				continue
			}
		} else {
			continue
		}
		if y.addr.Is6() && !node.v6.IsValid() {
			continue // a node without an IPv6 address has no way to an IPv6 target
		}
		if y.eni != nil && y.name == "" {
			switch {
			case y.eni.task != nil:
				y.name = y.eni.task.name
			case y.eni.instance != nil:
				y.name = y.eni.instance.name
			}
		}
		if y.eni != nil && y.eni.instance != nil && y.eni.kind == eniHost {
			// an instance target's port is a host port: name the task behind it
			if s := findSocket(y.eni.instance.sockets, tgProto(tg.tg), x.Port); s != nil && s.task != nil {
				y.name = s.task.name
			}
		}
		out = append(out, y)
	}
	return out, registered
}

// targetZone is the zone a target of tg serves in behind lb: its
// registered zone, except that an Application Load Balancer with
// cross-zone load balancing on (always, unless the target group's
// load_balancing.cross_zone.enabled is "false") treats the zone of an IP
// target outside the VPC as "all" (RegisterTargets, TargetDescription
// AvailabilityZone: "the specified Availability Zone value is only
// applicable when cross-zone load balancing is off. Otherwise the
// parameter is ignored and treated as all").
func (n *Network) targetZone(lb *lbNode, tg *model.TargetGroup, x model.Target) string {
	a, isIP := x.TargetAddr()
	return n.targetZoneAt(outsideVPCInAllZones(lb, tg), tg, x, a, isIP)
}

// outsideVPCInAllZones reports whether lb treats the zone of tg's IP
// targets outside the VPC as "all": an ALB with cross-zone on.
func outsideVPCInAllZones(lb *lbNode, tg *model.TargetGroup) bool {
	return lb.lb.Type == "application" && tg.Attributes["load_balancing.cross_zone.enabled"] != "false"
}

// targetZoneAt is targetZone for a target whose address is already
// parsed (isIP false: an instance or a load balancer), outsideAll being
// outsideVPCInAllZones of its load balancer and group.
func (n *Network) targetZoneAt(outsideAll bool, tg *model.TargetGroup, x model.Target, a netip.Addr, isIP bool) string {
	if x.AvailabilityZone == "all" || !outsideAll {
		return x.AvailabilityZone
	}
	if !isIP {
		return x.AvailabilityZone
	}
	if v := n.vpcs[tg.VpcID]; v == nil || v.vpc.Contains(a) {
		return x.AvailabilityZone
	}
	return "all"
}

// hcPort returns a target's health check port: "traffic-port" is the
// port it is registered with.
func hcPort(tg *model.TargetGroup, x model.Target) uint16 {
	s := tg.HealthCheck.Port
	if s == "" || s == "traffic-port" {
		return x.Port // without Atoi's error, which allocates
	}
	if p, err := strconv.Atoi(s); err == nil && p > 0 && p < 65536 {
		return uint16(p)
	}
	return x.Port
}

func tgProto(tg *model.TargetGroup) model.Protocol {
	if tg.Protocol == "UDP" {
		return model.UDP
	}
	return model.TCP
}

// backendFlow returns the flow a load balancer node opens to a target: an
// ALB opens a new connection from the node's private address; an NLB
// keeps the client's address for instance targets (and UDP), uses its
// own for ip targets (reference §5; NLB target group attributes, "Client
// IP preservation" defaults). A dualstack NLB translates a client of the
// other family than the target group's (an IPv6 client to IPv4 targets,
// an IPv4 client to IPv6 targets): the target sees the node's address of
// its own family whatever the attribute says (NLB guide,
// edit-target-group-attributes "Client IP preservation": IPv6 client
// requests reach IPv4 targets from the "Load balancer IPv4 address").
func (t *tracer) backendFlow(client *flow, node *eniNode, lb *lbNode, tg *tgNode, x *lbTarget, port uint16) flow {
	f := flow{srcENI: node, src: nodeSource(node, x.addr), srcRef: node, sport: t.clientPort, dst: x.addr, dport: port, dstHint: x.eni}
	if lb.isALB() || client == nil {
		return f
	}
	c := client.src
	if client.seen.IsValid() {
		c = client.seen
	}
	switch {
	case c.Is6() != x.addr.Is6():
		f.translated = true
	case preservesClientIP(tg.tg):
		f.src, f.srcRef, f.sport, f.preserved = c, nil, client.sport, true
		f.via = node.eni.SecurityGroups
	}
	return f
}

// familyName names an address's family: "IPv4" or "IPv6".
func familyName(a netip.Addr) string {
	if a.Is6() {
		return "IPv6"
	}
	return "IPv4"
}

// nodeSource is the address a load balancer node opens a connection to a
// target from: its private IPv4 address, or for an IPv6 target (an ipv6
// target group, behind a dual-stack load balancer) its IPv6 address
// (ALB guide, load-balancer-ip-address-type: "The load balancer
// communicates with targets based on the IP address type of the target
// group"). A node without one has none to use.
func nodeSource(node *eniNode, target netip.Addr) netip.Addr {
	if target.Is6() {
		return node.v6
	}
	return node.primary
}

// nlbHairpin reports whether an NLB passes a connection to a target
// with the target's own address as the source (client IP preservation,
// the client being the target, or a container behind it): the target
// drops it and the client times out (NLB User Guide, troubleshooting,
// "Requests from a target to its load balancer time out": "the source
// and destination IP addresses are the same"). A target that reaches an
// internet-facing NLB through the internet gateway arrives from its
// public IP, not its own address, so it is answered (the kernel data
// plane agrees: difftest seeds 5, 32, 48, 80).
func nlbHairpin(f flow, x *lbTarget) bool {
	return f.preserved && f.src.IsValid() && f.src == x.addr
}

// preservesClientIP reports whether an NLB target group forwards with the
// client's address: its preserve_client_ip.enabled attribute when set, else
// AWS's default (on for instance targets and UDP, off for ip targets over
// TCP and TLS). An alb-type target group's attributes always keep their
// defaults, and the Application Load Balancer sees the client's address:
// its security groups admit "the CIDR blocks of the client's computers"
// (NLB User Guide, application-load-balancer-target: "When the target
// group type is alb, you can't modify the target group attributes").
func preservesClientIP(tg *model.TargetGroup) bool {
	if tg.TargetType == "alb" {
		return true
	}
	switch tg.Attributes["preserve_client_ip.enabled"] {
	case "true":
		return true
	case "false":
		return tg.Protocol == "UDP" || tg.Protocol == "TCP_UDP"
	}
	return tg.TargetType == "instance" || tg.Protocol == "UDP" || tg.Protocol == "TCP_UDP"
}

// preservedWhy says why an NLB target group keeps the client's address.
func preservedWhy(tg *model.TargetGroup) string {
	if tg.TargetType == "alb" {
		return "always, for an Application Load Balancer target, whose security groups therefore judge the client's address"
	}
	if tg.Attributes["preserve_client_ip.enabled"] == "true" {
		return "preserve_client_ip.enabled is true on the target group " + tg.Name
	}
	return "on for instance targets and UDP"
}

// connect runs a flow to an address inside the network (forward, host,
// reply) and returns its verdict.
func (t *tracer) connect(f *flow, fwd, ret *[]Hop) (Verdict, flowState) {
	fs := newFlowState()
	a := t.forward(&fs, f, fwd)
	accepted := a.exited
	if a.eni != nil {
		if a.eni.kind == eniLB && a.eni.lb != nil && a.eni.lb.isALB() && t.query != nil && !t.chained && t.proto == model.TCP {
			// A Network Load Balancer's alb-type target group: the
			// ALB takes the connection as it takes a client's (its
			// groups, its listener, its rules, its targets), and its
			// answer is the client's.
			t.chained = true
			o := t.loadBalancer(&fs, f, &a, t.query, fwd, ret)
			t.chained = false
			if o.backend.blocked && !fs.blocked {
				fs = o.backend
			}
			return o.verdict, fs
		}
		if a.eni.kind == eniLB {
			t.block(&fs, Unknown, func() Explanation {
				m := "the target " + a.dstAddr.String() + " is a load balancer node; ecsnet does not chain load balancers"
				return Explanation{Code: CodeUnsupportedComponent, Path: "forward", Component: a.eni.comp, Message: m, clause: m}
			})
		} else {
			_, accepted = t.accept(&fs, f, &a, fwd)
		}
	}
	t.replyICMP = !accepted && t.proto == model.UDP
	t.reply(&fs, f, &a, ret)
	t.replyICMP = false
	return flowVerdict(fs, accepted), fs
}

func flowVerdict(fs flowState, accepted bool) Verdict {
	if fs.blocked {
		return fs.verdict
	}
	if accepted {
		return Connected
	}
	return Refused
}

// quietConnect runs a flow without recording anything.
func (t *tracer) quietConnect(f flow) Verdict {
	q := tracer{n: t.n, quiet: true, proto: t.proto, clientPort: t.clientPort, query: t.query, chained: t.chained}
	v, _ := q.connect(&f, nil, nil)
	return v
}

// toTargets sends a client's request from a node to a target of a target
// group. Each node sends only to targets that pass its health checks; if
// every target fails them, it sends to all of them (fail-open, ALB
// "Health checks for your target groups"). The reported path goes to the
// first candidate in registration order.
func (t *tracer) toTargets(client *flow, node *eniNode, l *listenerNode, tg *tgNode, fwd, ret *[]Hop, out *lbOutcome) Verdict {
	lb := l.lb
	p := t.pkt(node.primary, t.clientPort, netip.Addr{}, 0)
	targets, registered := t.targetsFor(node, lb, tg)
	if len(targets) == 0 {
		v := HTTP503
		if !lb.isALB() {
			v = Timeout
		}
		seq := t.add(fwd, false, Hop{Action: ActionResponded, Blocked: true, Component: tg.comp, AttachedTo: lb.comp, Packet: p})
		if !registered {
			var cause Explanation
			t.block(&out.backend, v, func() Explanation {
				m := "the target group " + tg.comp.Name + " has no registered targets"
				cause = Explanation{Code: CodeNoRegisteredTargets, Path: "forward", Hop: seq, Component: tg.comp, Message: m, clause: m}
				return cause
			})
			if why := t.noTargetsCause(&out.backend, tg, seq); why != "" {
				e := &t.res.Explanations[out.backend.first]
				e.clause += why
				e.Message += why
			}
		} else {
			t.block(&out.backend, v, func() Explanation {
				m := "none of the targets of " + tg.comp.Name + " is in an Availability Zone the load balancer " + lb.lb.Name + " serves (" + strings.Join(lb.zones, ", ") + ")"
				if !crossZone(lb, tg) {
					m = "no target of " + tg.comp.Name + " is in the node's Availability Zone " + node.eni.AvailabilityZone + " (cross-zone load balancing is off)"
					if tg.tg.Attributes[tgCrossZone] == "false" {
						m = "no target of " + tg.comp.Name + " is in the node's Availability Zone " + node.eni.AvailabilityZone + " (the target group turns cross-zone load balancing off: load_balancing.cross_zone.enabled false)"
					}
				}
				return Explanation{Code: CodeNoTargetsInAZ, Path: "forward", Hop: seq, Component: tg.comp, Message: m, clause: m}
			})
		}
		if lb.isALB() {
			return HTTP503
		}
		return Timeout
	}
	t.shortServices(tg)
	healthy := 0
	for i := range targets {
		x := &targets[i]
		x.health = t.checkHealth(node, lb, tg, x)
		bf := t.backendFlow(client, node, lb, tg, x, x.t.Port)
		x.traffic = t.quietConnect(bf)
		if nlbHairpin(bf, x) {
			x.traffic = Timeout
		}
		if x.health.reason == "" {
			healthy++
		}
	}
	chosen := -1
	for i := range targets {
		if healthy == 0 || targets[i].health.reason == "" {
			chosen = i
			break
		}
	}
	for i := range targets {
		x := &targets[i]
		if x.health.reason == "" {
			continue
		}
		t.info(func() Explanation {
			return t.unhealthyExplanation(node, lb, tg, x)
		})
	}
	t.otherNodesUnhealthy(node, lb, tg, targets) // nodehealth.go
	if healthy == 0 && len(targets) > 0 {
		t.info(func() Explanation {
			m := "every target of " + tg.comp.Name + " fails its health checks, so the load balancer sends requests to all of them anyway (fail-open)"
			return Explanation{Code: CodeALBFailOpen, Path: "forward", Component: tg.comp, Message: m}
		})
	}
	for i := range targets {
		x := &targets[i]
		o := TargetOutcome{ID: x.t.ID, Port: x.t.Port, AvailabilityZone: x.t.AvailabilityZone, Name: x.name, Health: "healthy", Verdict: x.traffic, Chosen: i == chosen}
		if x.health.reason != "" {
			o.Health, o.Reason = "unhealthy", x.health.reason
		}
		if !t.quiet {
			t.res.Targets = append(t.res.Targets, o)
		}
		if i == chosen {
			oc := o
			out.target = &oc
		}
	}
	x := &targets[chosen]
	out.chosen = x
	t.add(fwd, false, Hop{Action: ActionForwarded, Component: tg.comp, AttachedTo: lb.comp, Packet: t.pkt(nodeSource(node, x.addr), t.clientPort, x.addr, x.t.Port)})
	bf := t.backendFlow(client, node, lb, tg, x, x.t.Port)
	switch {
	case bf.preserved:
		t.info(func() Explanation {
			return Explanation{Code: CodePreserveClientIPEnabled, Path: "forward", Component: tg.comp,
				Message: "the NLB keeps the client's address " + bf.src.String() + " as the source (client IP preservation: " + preservedWhy(tg.tg) + ")"}
		})
	case bf.translated:
		t.info(func() Explanation {
			return Explanation{Code: CodePreserveClientIPDisabled, Path: "forward", Component: tg.comp,
				Message: "the NLB translates the " + familyName(client.src) + " client's connection to " + familyName(x.addr) + ", the family of the target group " + tg.comp.Name +
					": the target sees its node's address " + bf.src.String() + " as the source (client IP preservation cannot carry an address of the other family)"}
		})
	case client == nil:
		// Through AWS PrivateLink (privateLinkConnection).
		t.info(func() Explanation {
			m := "through AWS PrivateLink the target sees the Network Load Balancer's private address " + bf.src.String() +
				", not the client's: its security groups must admit the load balancer (client IP preservation has no effect on PrivateLink traffic)"
			return Explanation{Code: CodePrivateLinkSource, Path: "forward", Component: tg.comp, Message: m, clause: m}
		})
	case !lb.isALB():
		t.info(func() Explanation {
			return Explanation{Code: CodePreserveClientIPDisabled, Path: "forward", Component: tg.comp,
				Message: "the NLB uses its node's private address " + bf.src.String() + " as the source (client IP preservation is off for ip targets over TCP and TLS)"}
		})
	}
	if nlbHairpin(bf, x) {
		seq := t.add(fwd, false, Hop{Action: ActionDropped, Blocked: true, Component: tg.comp, AttachedTo: lb.comp, Packet: t.pkt(bf.src, bf.sport, x.addr, x.t.Port)})
		t.block(&out.backend, Timeout, func() Explanation {
			m := "the NLB keeps the client's address " + bf.src.String() + ", which is the target's own: a target that reaches itself through its load balancer with client IP preservation sees a packet from itself and never answers it (NLBs do not support hairpinning), so the connection times out"
			return Explanation{Code: CodeNLBHairpin, Path: "forward", Hop: seq, Component: tg.comp, Message: m, clause: m}
		})
		return Timeout
	}
	t.translated, t.privateLink = bf.translated, client == nil
	v, fs := t.connect(&bf, fwd, ret)
	t.translated, t.privateLink = false, false
	if fs.blocked {
		if !out.backend.blocked {
			out.backend = fs
		}
	}
	if v == Connected && lb.isNLB() {
		v = t.proxyProtocol(tg, x, v, out)
	}
	if v == Connected && lb.isNLB() {
		v = t.nlbTLSToTarget(l, tg, x, v, out) // nlbtls.go
	}
	if v == Connected && lb.isNLB() {
		v = t.nlbPlainToTLSTarget(l, tg, x, v, out) // nlbtlsoffload.go
	}
	if v == Refused && x.t.Port != 0 {
		// Name the registered port when nothing listens on it.
		if x.eni != nil && t.registeredPortDead(x) {
			t.info(func() Explanation {
				m := "the load balancer sends to the target's registered port " + strconv.Itoa(int(x.t.Port)) + " only"
				return Explanation{Code: CodeTargetPortRestriction, Path: "forward", Component: tg.comp, Port: x.t.Port, Message: m}
			})
		}
	}
	return v
}

// proxyProtocolV2 reports whether an NLB target group prepends a proxy
// protocol v2 header to its connections (proxy_protocol_v2.enabled; off
// by default, and an alb-type group keeps its defaults).
func proxyProtocolV2(tg *model.TargetGroup) bool {
	return tg.TargetType != "alb" && tg.Attributes["proxy_protocol_v2.enabled"] == "true"
}

// proxyProtocolMismatch reports whether the application at a target's
// port and an NLB target group disagree on the proxy protocol header:
// sends, the group sends one; expects, the application wants one.
func (t *tracer) proxyProtocolMismatch(tg *tgNode, x *lbTarget, port uint16) (sends, expects, mismatch bool) {
	c, ok := socketContainer(targetSocket(x, port))
	if !ok {
		return false, false, false
	}
	sends, expects = proxyProtocolV2(tg.tg), c.ProxyProtocol
	return sends, expects, sends != expects
}

// proxyProtocol judges the application's answer to an NLB connection
// that reached it, v being Connected: an application that does not
// expect the proxy protocol header the group sends reads it as a
// malformed request and answers 400; one that expects a header the group
// does not send reads the client's first bytes as a broken header and
// closes the connection unanswered (refused, [choice]). NLB User Guide,
// edit-target-group-attributes, "Proxy protocol": "The load balancer
// prepends a proxy protocol header to the TCP data"; "Verify that your
// targets support proxy protocol version 2".
func (t *tracer) proxyProtocol(tg *tgNode, x *lbTarget, v Verdict, out *lbOutcome) Verdict {
	sends, _, mismatch := t.proxyProtocolMismatch(tg, x, x.t.Port)
	if !mismatch {
		return v
	}
	_, _, app := t.appTLS(x, x.t.Port)
	who := x.t.ID + ":" + strconv.Itoa(int(x.t.Port))
	if sends {
		v = HTTPVerdict(400)
		t.block(&out.backend, v, func() Explanation {
			m := "the target group " + tg.comp.Name + " has proxy protocol v2 on (proxy_protocol_v2.enabled true): the NLB prepends a binary PROXY header to each connection to " + who +
				", where " + app.String() + " does not expect one, reads it as a malformed request and answers 400 Bad Request. Turn proxy protocol v2 off on the target group, or have the application expect the header (nginx: listen … proxy_protocol)"
			return Explanation{Code: CodeProxyProtocolMismatch, Path: "forward", Component: tg.comp, Address: x.addr, Port: x.t.Port, Message: m, clause: m}
		})
		return v
	}
	v = Refused
	t.block(&out.backend, v, func() Explanation {
		m := app.String() + " at " + who + " expects a PROXY protocol header first, but the target group " + tg.comp.Name +
			" sends none (proxy_protocol_v2.enabled is not true): the application reads the client's first bytes as a broken header and closes the connection without an answer (nginx: \"broken header … while reading PROXY protocol\"). Turn proxy protocol v2 on on the target group, or the application's proxy protocol off"
		return Explanation{Code: CodeProxyProtocolMismatch, Path: "forward", Component: tg.comp, Address: x.addr, Port: x.t.Port, Message: m, clause: m}
	})
	return v
}

// registeredPortDead reports whether nothing listens on a target's
// registered port although the target listens elsewhere.
func (t *tracer) registeredPortDead(x *lbTarget) bool {
	switch {
	case x.eni.task != nil:
		return len(x.eni.task.sockets) > 0 && findSocket(x.eni.task.sockets, t.proto, x.t.Port) == nil
	case x.eni.instance != nil:
		return findSocket(x.eni.instance.sockets, t.proto, x.t.Port) == nil
	}
	return false
}

// healthVerdict runs a health check: a TCP connection to the health check
// port (HTTP and HTTPS checks too: ecsnet assumes an application that
// accepts the connection answers with a matching status).
func (t *tracer) healthVerdict(f flow) Verdict {
	q := tracer{n: t.n, quiet: true, proto: model.TCP, clientPort: t.clientPort, gwlbDepth: t.gwlbDepth}
	v, _ := q.connect(&f, nil, nil)
	return v
}

// healthReason maps a failed health check to AWS's reason code: a drop is
// Target.Timeout, a reset Target.FailedHealthChecks (reference §5, §7).
func healthReason(v Verdict) string {
	if v == Refused {
		return "Target.FailedHealthChecks"
	}
	return "Target.Timeout"
}

func matcherOr(m string) string {
	if m == "" {
		return "200"
	}
	return m
}

// unhealthyExplanation says why a target fails its health check, in AWS's
// reason code, and what ECS does about it.
func (t *tracer) unhealthyExplanation(node *eniNode, lb *lbNode, tg *tgNode, x *lbTarget) Explanation {
	hc := tg.tg.HealthCheck
	who := x.t.ID + ":" + strconv.Itoa(int(x.t.Port))
	if x.name != "" {
		who += " (" + x.name + ")"
	}
	port := "port " + strconv.Itoa(int(x.hcPort))
	if hc.Port == "" || hc.Port == "traffic-port" {
		port = "the traffic port " + strconv.Itoa(int(x.hcPort))
	}
	m := "the target " + who + " of " + tg.comp.Name + " is unhealthy (" + x.health.reason + ": " + x.health.desc + "): its health check on " + port
	_, _, app := t.appTLS(x, x.hcPort)
	alb := x.eni != nil && x.eni.kind == eniLB
	switch {
	case alb && x.health.tls == tlsToPlain:
		m += " is over HTTPS, and the Application Load Balancer " + x.name + " listens there over plain HTTP: the TLS handshake fails (the check's port and protocol must match an ALB listener's)"
	case alb && x.health.reason == ReasonResponseCodeMismatch:
		m += " asks the Application Load Balancer " + x.name + " for " + healthQuery(tg, x).HTTPPath + " with the Host " + healthHost(x) + ", and the ALB answers " + strconv.Itoa(x.health.status) +
			", which the matcher " + albHealthMatcher + " does not accept (an alb-type target group's success codes cannot be changed): the ALB forwards the check by its own rules to its own targets"
	case alb && x.health.reason == ReasonFailedHealthChecks:
		m += " is refused by the Application Load Balancer " + x.name
	case x.health.tls == tlsToPlain:
		m += " is over HTTPS, and " + app.String() + " answers plain HTTP there: the TLS handshake fails"
	case x.health.proxy && x.health.status == 400:
		m += " carries the proxy protocol v2 header the target group sends (proxy_protocol_v2.enabled true), which " + app.String() + " does not expect: it answers 400"
	case x.health.proxy:
		m += " carries no proxy protocol header, which " + app.String() + " expects (the target group's proxy_protocol_v2.enabled is not true): it closes the connection unanswered"
	case x.health.tls == plainToTLS:
		m += " is plain HTTP, and " + app.String() + " speaks TLS there: it answers " + strconv.Itoa(x.health.status) + " (a plain HTTP request to an HTTPS port), which the matcher " + matcherOr(hc.Matcher) + " does not accept"
	case x.health.reason == ReasonResponseCodeMismatch && grpcHealth(tg.tg) && lb.isALB():
		m += grpcMismatch(tg.tg, cmp.Or(hc.Path, "/AWS.ALB/healthcheck"), x.health.status)
	case x.health.reason == ReasonResponseCodeMismatch:
		m += " asks for " + hc.Path + " and gets " + strconv.Itoa(x.health.status) + ", which the matcher " + hc.Matcher + " does not accept"
		if allowed, refused := t.hostRefused(x, x.hcPort, healthHost(x)); refused && x.health.status == StatusHostNotAllowed {
			m += ": the check's Host header is the target's address, " + healthHost(x) + ", which the application's allowed hosts (" + strings.Join(allowed, ", ") +
				") do not name, so it refuses every health check with 400 whatever the path (a load balancer's health check cannot set another Host)"
		}
	case x.health.slow > 0:
		m += " asks for " + cmp.Or(hc.Path, "/") + ", which " + app.String() + " answers in " + strconv.Itoa(int(x.health.slow)) + " s, not within the health check's timeout (" +
			strconv.Itoa(healthTimeout(tg)) + " s): the check gives up before the answer comes. Give the check a path the application answers at once, or a timeout above " + strconv.Itoa(int(x.health.slow)) + " s (at most 120 s, below the interval)"
	case x.health.reason == ReasonFailedHealthChecks:
		m += " is refused: nothing listens there"
		if x.traffic == Connected && x.hcPort != x.t.Port {
			m += " (the application listens on " + strconv.Itoa(int(x.t.Port)) + ")"
		}
	default:
		m += " is dropped on the way"
	}
	var b *Explanation
	if x.health.reason != ReasonResponseCodeMismatch && x.health.tls == "" && !x.health.proxy && x.health.slow == 0 {
		if b = t.healthBlock(node, lb, tg, x); b != nil {
			m += ": " + b.Message
		}
	}
	if alb {
		m += ". The NLB sends to an unhealthy Application Load Balancer only while every target of " + tg.comp.Name + " is unhealthy (fail-open)"
	} else {
		m += ". ECS stops service tasks that fail ELB health checks (\"Task failed ELB health checks in (target-group " + tg.tg.ARN + ")\") and starts new ones, which fail the same way"
	}
	e := Explanation{Code: CodeTargetUnhealthy, Path: "forward", Component: tg.comp, Address: x.addr, Port: x.hcPort, Message: m}
	if b != nil {
		// What dropped or refused the health check decided it: name it
		// as Reachability Analyzer names a blocking component.
		e.Direction, e.NetworkInterface, e.SecurityGroups = b.Direction, b.NetworkInterface, b.SecurityGroups
		e.ACLRule, e.Route, e.SecurityGroupRule = b.ACLRule, b.Route, b.SecurityGroupRule
		e.Decided = b.Component
	}
	return e
}

// healthBlock traces a target's health check from a node hop by hop and
// returns what blocked it (the first blocking explanation), or nil.
func (t *tracer) healthBlock(node *eniNode, lb *lbNode, tg *tgNode, x *lbTarget) *Explanation {
	if t.quiet {
		return nil
	}
	q := tracer{n: t.n, res: &Result{}, proto: model.TCP, clientPort: t.clientPort, gwlbDepth: t.gwlbDepth, healthOf: tg, query: healthQuery(tg, x)}
	f := t.backendFlow(nil, node, lb, tg, x, x.hcPort)
	var fwd, ret []Hop
	if _, fs := q.connect(&f, &fwd, &ret); fs.first >= 0 {
		return &q.res.Explanations[fs.first]
	}
	return nil
}

// shortServices notes the services of a target group that run fewer
// tasks than desired because ECS could not place the others: the load
// balancer answers through the tasks that run, and the service's events
// say why the rest are missing ("RESOURCE:PORTS", "RESOURCE:ENI").
func (t *tracer) shortServices(tg *tgNode) {
	if t.quiet {
		return
	}
	for _, s := range t.n.servicesOf(tg.tg) {
		t.shortService(s)
	}
}

// shortService notes that a service runs fewer tasks than desired, and
// why: for a probe of the service itself (its name, a Cloud Map name),
// which one of its tasks answers, as for its target groups.
func (t *tracer) shortService(s *serviceNode) {
	if t.quiet {
		return
	}
	code, ev := placementEvent(s.svc)
	why := "ECS cannot place the others"
	if code == "" {
		if r, ok := subnetFullStop(s); ok {
			code, ev, why = CodeSubnetNoFreeAddresses, r, "the others stop in PROVISIONING, their subnet has no free address"
		}
	}
	run := 0
	for _, tk := range s.tasks {
		if tk.running {
			run++
		}
	}
	if run >= s.svc.DesiredCount {
		return
	}
	if code == "" {
		// Placed, but some of its tasks stop before they run: the
		// start path fails from some of its subnets only (an S3
		// gateway endpoint on one zone's route table, a NAT route
		// missing in one zone), so the load balancer answers through
		// the others while ECS keeps replacing these.
		if f := shortStartFailure(t.n, s); f != nil {
			t.info(func() Explanation {
				m := "the service " + s.svc.Name + " runs " + strconv.Itoa(run) + " of its " + strconv.Itoa(s.svc.DesiredCount) +
					" tasks: the others stop before they run and ECS keeps replacing them: " + f.Why + ". Fix: " + StartFixHint(f)
				e := Explanation{Code: f.Code, Path: "forward", Component: s.comp, Message: m,
					Tasks: &TasksStopped{Service: s.svc.Name, StopCode: "TaskFailedToStart", Failure: f, serviceARN: s.svc.ARN}}
				e.decidedBy(f)
				return e
			})
		}
		return
	}
	t.info(func() Explanation {
		m := "the service " + s.svc.Name + " runs " + strconv.Itoa(run) + " of its " + strconv.Itoa(s.svc.DesiredCount) +
			" tasks: " + why + " (" + ev + ")"
		return Explanation{Code: code, Path: "forward", Component: s.comp, Message: m}
	})
}

// shortStartFailure returns the start-path failure of the latest task of
// the service that stopped before it ran (stopCode TaskFailedToStart), or
// nil when none did or the analyzer finds no reason for it.
func shortStartFailure(n *Network, s *serviceNode) *StartFailure {
	for i := len(s.tasks) - 1; i >= 0; i-- {
		tk := s.tasks[i]
		if tk.running || tk.tk.StopCode != "TaskFailedToStart" {
			continue
		}
		if f := TaskStartFailure(n.st, tk.tk); f != nil {
			return f
		}
	}
	return nil
}

// subnetFull is what EC2 says (and ECS repeats in a service's event) when
// a subnet has no free address for a new network interface.
const subnetFull = "not enough free addresses in subnet"

// subnetFullStop returns the stopped reason of a task of the service that
// stopped before it ran because its subnet had no free address for its
// network interface (ECS accepts the task, which stops in PROVISIONING
// with InsufficientFreeAddressesInSubnet), and whether there is one.
func subnetFullStop(s *serviceNode) (string, bool) {
	for _, t := range s.tasks {
		if !t.running && t.tk.StopCode == "TaskFailedToStart" && strings.HasPrefix(t.tk.StoppedReason, "InsufficientFreeAddressesInSubnet") {
			return t.tk.StoppedReason, true
		}
	}
	return "", false
}

// placementEvent returns the code and message of a service's latest
// placement failure event, or "" when its latest events report none
// (before a steady state).
func placementEvent(s *model.Service) (string, string) {
	for _, ev := range s.Events {
		switch {
		case strings.Contains(ev.Message, "RESOURCE:ENI"):
			return CodeENICapacity, ev.Message
		case strings.Contains(ev.Message, "RESOURCE:PORTS") || strings.Contains(ev.Message, "already using a port"):
			return CodePortConflict, ev.Message
		case strings.Contains(ev.Message, "is missing an attribute required by your task"):
			return CodePlacementMissingAttribute, ev.Message
		case strings.Contains(ev.Message, `"LOCATION"`):
			return CodePlacementZone, ev.Message
		case strings.Contains(ev.Message, subnetFull):
			return CodeSubnetNoFreeAddresses, ev.Message
		case strings.Contains(ev.Message, roleUnassumable):
			return CodeTaskRoleUntrusted, ev.Message
		case strings.Contains(ev.Message, "has reached a steady state"):
			return "", ""
		}
	}
	return "", ""
}

// tgCrossZone is the target-group attribute that overrides the load
// balancer's cross-zone setting.
const tgCrossZone = "load_balancing.cross_zone.enabled"

// crossZone reports whether a load balancer's nodes route to targets of
// tg in other zones: the target group's load_balancing.cross_zone.enabled
// when it is true or false, else (use_load_balancer_configuration) the
// load balancer's. An Application Load Balancer's is always on; only its
// target groups turn it off (ELB user guide, "Cross-zone load balancing
// for target groups").
func crossZone(lb *lbNode, tg *tgNode) bool {
	switch tg.tg.Attributes[tgCrossZone] {
	case "true":
		return true
	case "false":
		return false
	}
	return lb.lb.CrossZone || lb.isALB()
}

// HTTPVersion is the protocol of a probe's request through an ALB
// (Query.HTTPVersion).
type HTTPVersion uint8

// The request protocols.
const (
	HTTPVersion1    HTTPVersion = iota // HTTP/1.1, the default
	HTTPVersion2                       // HTTP/2 (negotiated with ALPN on an HTTPS listener)
	HTTPVersionGRPC                    // gRPC: HTTP/2, POST, content-type application/grpc
)

// ParseHTTPVersion reads a normalized HTTP version ("" or "1.1", "2",
// "grpc": scenario.NormalizeHTTPVersion's).
func ParseHTTPVersion(s string) (HTTPVersion, bool) {
	switch s {
	case "", "1.1":
		return HTTPVersion1, true
	case "2":
		return HTTPVersion2, true
	case "grpc":
		return HTTPVersionGRPC, true
	}
	return HTTPVersion1, false
}

// requestProtocol is the protocol of the probe's request as the listener
// receives it: an HTTP listener speaks HTTP/1.1 only (an ALB negotiates
// HTTP/2 with its clients on HTTPS listeners, and ignores an h2c upgrade
// [choice]), and an HTTPS listener of a load balancer whose
// routing.http2.enabled is false speaks HTTP/1.1 too.
func requestProtocol(l *listenerNode, q *Query) HTTPVersion {
	v := HTTPVersion1
	if q != nil {
		v = q.HTTPVersion
	}
	if v != HTTPVersion1 && (l.l.Protocol != "HTTPS" || l.lb.lb.Attributes["routing.http2.enabled"] == "false") {
		return HTTPVersion1
	}
	return v
}

// protocolVersionMismatch says why an ALB answers a request 464 for the
// protocol version of the target group it forwards to, "" when it does
// not. The Application Load Balancer guide's troubleshooting lists three
// cases: an HTTP/1.1 request for a group of protocol version gRPC or
// HTTP/2; a gRPC request for a group of HTTP/1.1; an HTTP/2 request that
// is not a POST for a group of gRPC.
func protocolVersionMismatch(l *listenerNode, tg *tgNode, q *Query) string {
	tv, rp := tg.tg.ProtocolVersion, requestProtocol(l, q)
	switch {
	case rp == HTTPVersion1 && (tv == "HTTP2" || tv == "GRPC"):
		group := "the target group " + tg.comp.Name + " of protocol version " + tv
		if l.l.Protocol == "HTTP" {
			return "the listener " + l.comp.Name + " is HTTP, so its clients' requests are HTTP/1.1 (an ALB speaks HTTP/2 with its clients on HTTPS listeners only), and it forwards them to " + group
		}
		if q != nil && q.HTTPVersion != HTTPVersion1 {
			return "the load balancer's routing.http2.enabled is false, so the listener " + l.comp.Name + " speaks HTTP/1.1 with its clients, and it forwards their requests to " + group
		}
		return "the request is HTTP/1.1 (the probe's client; --http-version 2 or grpc asks for HTTP/2) and the listener " + l.comp.Name + " forwards it to " + group
	case rp == HTTPVersionGRPC && (tv == "" || tv == "HTTP1"):
		return "the request is gRPC and the listener " + l.comp.Name + " forwards it to the target group " + tg.comp.Name + " of protocol version HTTP1, which sends requests to its targets in HTTP/1.1"
	case rp == HTTPVersion2 && tv == "GRPC" && (q == nil || !strings.EqualFold(cmp.Or(q.HTTPMethod, "GET"), "POST")):
		return "the request is HTTP/2 and not a POST (a gRPC call is a POST) and the listener " + l.comp.Name + " forwards it to the target group " + tg.comp.Name + " of protocol version GRPC"
	}
	return ""
}

// protocolVersionRemedy is the way out the 464 sentence ends with.
func protocolVersionRemedy(l *listenerNode, tg *tgNode, q *Query) string {
	if cmp.Or(tg.tg.ProtocolVersion, "HTTP1") == "HTTP1" {
		return ". A target group's protocol version cannot be changed: forward gRPC calls to a target group of protocol version GRPC"
	}
	if l.l.Protocol == "HTTP" {
		return ". A target group's protocol version cannot be changed: forward to a target group of protocol version HTTP1, or serve the clients on an HTTPS listener"
	}
	return ". A target group's protocol version cannot be changed: forward to a target group of protocol version HTTP1, or have the clients speak HTTP/2 (gRPC for a GRPC group)"
}
