package reach

import (
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// ReasonResponseCodeMismatch is the target health reason for an HTTP
// health check answered with a status outside the matcher.
const ReasonResponseCodeMismatch = "Target.ResponseCodeMismatch"

// appStatus returns the HTTP status the application behind a target's
// port answers for a request of host (its Host header; "" when not
// known) and path: 400 when the container's AllowedHosts refuse the host,
// else the container's Serves entry (an exact path, else the first
// matching pattern in key order), 404 for a path it does not list, 200
// when the scenario says nothing (ecsnet's assumption).
func (t *tracer) appStatus(x *lbTarget, port uint16, host, path string) int {
	s := targetSocket(x, port)
	if s != nil && s.task == nil && s.serves != nil {
		return servedStatus(s.serves, path)
	}
	c, ok := socketContainer(s)
	if !ok {
		return 200
	}
	if c.AllowedHosts != nil && host != "" {
		if host == healthCheckHost {
			host = healthHost(x)
		}
		if !model.HostAllowed(c.AllowedHosts, host) {
			return StatusHostNotAllowed
		}
	}
	if c.Serves == nil {
		return 200
	}
	return servedStatus(c.Serves, path)
}

// StatusHostNotAllowed is what an application answers a request whose
// Host its allowed hosts do not list (Django's DisallowedHost: 400 Bad
// Request).
const StatusHostNotAllowed = 400

// healthCheckHost stands for the Host of a health check in appStatus:
// the target's address (healthHost), written out only for an application
// that checks hosts.
const healthCheckHost = "\x00health-check"

// healthHost is the Host header of a load balancer's health check: the
// target's address and the health check port ("Invalid HTTP_HOST header:
// '10.0.1.85:8000'", Django's log of an ALB health check).
func healthHost(x *lbTarget) string {
	return netip.AddrPortFrom(x.addr, x.hcPort).String()
}

// hostRefused reports whether the container behind a target's port
// refuses host (its AllowedHosts), and lists them when it does.
func (t *tracer) hostRefused(x *lbTarget, port uint16, host string) (allowed []string, refused bool) {
	c, ok := socketContainer(targetSocket(x, port))
	if !ok || model.HostAllowed(c.AllowedHosts, host) {
		return nil, false
	}
	return c.AllowedHosts, true
}

// appTLS reports whether the application behind a target's port speaks
// TLS, and whether ecsnet knows (a task's container: its TLS flag; a web
// server the instance's user data starts: plain HTTP; the instance's sshd:
// SSH, never TLS; anything else is taken to answer whatever the load
// balancer speaks). app names the container or server, when a message
// needs it.
func (t *tracer) appTLS(x *lbTarget, port uint16) (tls, known bool, app appName) {
	s := targetSocket(x, port)
	if s == nil {
		return false, false, app
	}
	if s.task == nil {
		return false, s.serves != nil || s.kind == "sshd", appName{s}
	}
	c, ok := socketContainer(s)
	if !ok {
		return false, false, app
	}
	return c.TLS, true, appName{s}
}

// targetSocket is what listens on a target's TCP port: a task's container
// or a server the instance runs (nil when nothing does, or the target is
// not an ENI ecsnet knows).
func targetSocket(x *lbTarget, port uint16) *socket {
	switch {
	case x.eni == nil:
	case x.eni.task != nil:
		return findSocket(x.eni.task.sockets, model.TCP, port)
	case x.eni.instance != nil:
		return findSocket(x.eni.instance.sockets, model.TCP, port)
	}
	return nil
}

// socketContainer is the task container behind a socket.
func socketContainer(s *socket) (*model.ContainerDefinition, bool) {
	if s == nil || s.task == nil || s.task.def == nil {
		return nil, false
	}
	return s.task.def.Container(s.container)
}

// appName is the application behind a socket, named only when a message
// is written (a probe through a load balancer asks appTLS every time).
type appName struct{ s *socket }

func (a appName) String() string {
	switch {
	case a.s == nil:
		return ""
	case a.s.task == nil:
		return a.s.kind
	}
	return "the container " + a.s.container + " of " + a.s.task.name
}

// StatusPlainHTTPToTLS is what a TLS server answers a plain HTTP request
// with (nginx: "400 Bad Request: The plain HTTP request was sent to HTTPS
// port"; Go's net/http: "400 Bad Request: Client sent an HTTP request to
// an HTTPS server").
const StatusPlainHTTPToTLS = 400

// StatusProtocolVersionMismatch is ELB's 464: "The load balancer received
// an incoming request protocol that is incompatible with the version
// config of the target group protocol" (ALB troubleshooting, "HTTP 464").
const StatusProtocolVersionMismatch = 464

func servedStatus(serves map[string]int, path string) int {
	if code, ok := pathValue(serves, path); ok {
		return code
	}
	return 404
}

// pathValue is a per-path map's entry for a request path (its query
// string cut off): the exact path's, else the first matching pattern's in
// key order; false when none matches.
func pathValue(m map[string]int, path string) (int, bool) {
	if p, _, ok := strings.Cut(path, "?"); ok {
		path = p
	}
	if v, ok := m[path]; ok {
		return v, true
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if strings.ContainsAny(k, "*?") && globMatch(k, path) {
			return m[k], true
		}
	}
	return 0, false
}

// appResponseSeconds is how long the application behind a target's port
// takes to answer a request of path (ContainerDefinition.ResponseSeconds):
// 0 when it answers at once, or ecsnet does not know.
func (t *tracer) appResponseSeconds(x *lbTarget, port uint16, path string) int {
	c, ok := socketContainer(targetSocket(x, port))
	if !ok || c.ResponseSeconds == nil {
		return 0
	}
	secs, _ := pathValue(c.ResponseSeconds, path)
	return secs
}

// timedOut reports whether an answer that takes secs seconds comes too
// late for a timeout of limit seconds: ELB stops waiting when the timeout
// elapses, and an answer due at that very second loses the race [choice].
func timedOut(secs, limit int) bool { return secs > 0 && secs >= limit }

// blockSlow records the 504 of a load balancer whose target x takes secs
// to answer path on port (its own function, so that a probe that is
// answered in time captures nothing).
func (t *tracer) blockSlow(fs *flowState, lb *lbNode, x *lbTarget, port uint16, app appName, path string, secs int) {
	t.block(fs, HTTP504, func() Explanation {
		m := slowResponse(lb, x.t.ID+":"+strconv.Itoa(int(port))+" ("+app.String()+")", path, secs)
		return Explanation{Code: CodeTargetResponseSlow, Path: "forward", Component: lb.comp, Decided: lb.comp, Address: x.addr, Port: port, Message: m, clause: m}
	})
}

// slowResponse says why a load balancer answers 504 to a request its
// target takes secs seconds to answer: "The load balancer established a
// connection to the target but the target didn't respond before the idle
// timeout period elapsed" (ALB User Guide, troubleshooting, HTTP 504).
func slowResponse(lb *lbNode, target, path string, secs int) string {
	idle, what := lbIdleTimeout(lb), "the load balancer "+lb.lb.Name+"'s idle timeout (idle_timeout.timeout_seconds"
	if lb.clb != nil {
		what = "the Classic Load Balancer " + lb.lb.Name + "'s idle timeout (ConnectionSettings.IdleTimeout"
	}
	if idle == DefaultIdleTimeout {
		what += ", " + strconv.Itoa(idle) + " s by default)"
	} else {
		what += " " + strconv.Itoa(idle) + " s)"
	}
	return fmt.Sprintf("the target %s takes %d s to answer %s, and the connection stays silent longer than %s: the load balancer stops waiting and answers 504 Gateway Timeout "+
		"(its access log shows target_status_code - and a target_processing_time of -1). Raise the idle timeout above the slowest answer (%d s or more), or answer sooner (a job the client polls for)",
		target, secs, path, what, secs+10)
}

// matcherAllows reports whether a health check matcher ("200",
// "200,302", "200-399") admits a status.
func matcherAllows(matcher string, status int) bool {
	if matcher == "" {
		matcher = "200"
	}
	for rest, more := matcher, true; more; {
		var part string
		part, rest, more = strings.Cut(rest, ",")
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			continue
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				continue
			}
		}
		if a <= status && status <= b {
			return true
		}
	}
	return false
}

// healthOutcome is one health check's result.
type healthOutcome struct {
	verdict Verdict // of the connection
	status  int     // the HTTP status, for HTTP(S) checks that connect
	reason  string  // "" when healthy
	desc    string
	// tls: the check's protocol does not match the application's
	// (tlsToPlain: HTTPS to plain HTTP; plainToTLS: HTTP to TLS).
	tls string
	// proxy: the check failed on the proxy protocol header (sent to an
	// application that does not expect it, or missing for one that does).
	proxy bool
	// slow: the application answers the check's path in this many
	// seconds, not before the check's timeout (Target.Timeout); a uint16
	// beside proxy, so that the outcome (one per target a probe looks
	// at) keeps its size.
	slow uint16
}

// healthTimeout is a target group's health check timeout in seconds
// (HealthCheckTimeoutSeconds; 5, the ALB's default for instance and ip
// targets, when unset).
func healthTimeout(tg *tgNode) int {
	if s := tg.tg.HealthCheck.TimeoutSeconds; s > 0 {
		return s
	}
	return 5
}

const (
	tlsToPlain = "https-to-plain"
	plainToTLS = "http-to-tls"
)

// checkHealth runs a target's health check from a node: a connection to
// the health check port, then, for HTTP and HTTPS checks, the status the
// application answers on the health check path against the matcher (ELB
// User Guide, "Health checks for your target groups": reason codes
// Target.Timeout, Target.FailedHealthChecks, Target.ResponseCodeMismatch).
func (t *tracer) checkHealth(node *eniNode, lb *lbNode, tg *tgNode, x *lbTarget) healthOutcome {
	if x.eni != nil && x.eni.kind == eniLB {
		return t.albTargetHealth(node, lb, tg, x)
	}
	f := t.backendFlow(nil, node, lb, tg, x, x.hcPort)
	v := t.healthVerdict(f)
	if v != Connected {
		r := healthReason(v)
		return healthOutcome{verdict: v, reason: r, desc: reasonDescription(r)}
	}
	hc := tg.tg.HealthCheck
	proto := hc.Protocol
	if proto == "" {
		proto = tg.tg.Protocol
	}
	if proto != "HTTP" && proto != "HTTPS" {
		return healthOutcome{verdict: v}
	}
	path := hc.Path
	if path == "" {
		path = "/"
	}
	if lb.isNLB() {
		// The proxy protocol header goes with health check connections
		// too (without the client's addresses): an HTTP check meets the
		// application's answer to it (NLB User Guide, "Proxy protocol").
		if sends, _, mismatch := t.proxyProtocolMismatch(tg, x, x.hcPort); mismatch && !sends {
			return healthOutcome{verdict: v, reason: ReasonFailedHealthChecks, desc: reasonDescription(ReasonFailedHealthChecks), proxy: true}
		} else if mismatch && !matcherAllows(hc.Matcher, 400) {
			return healthOutcome{verdict: v, status: 400, reason: ReasonResponseCodeMismatch, proxy: true, desc: "Health checks failed with these codes: [400]"}
		}
	}
	tls, known, _ := t.appTLS(x, x.hcPort)
	if known && proto == "HTTPS" && !tls {
		// The handshake fails: the application answers plain HTTP.
		return healthOutcome{verdict: v, reason: ReasonFailedHealthChecks, desc: reasonDescription(ReasonFailedHealthChecks), tls: tlsToPlain}
	}
	status := t.appStatus(x, x.hcPort, healthCheckHost, path)
	if secs := t.appResponseSeconds(x, x.hcPort, path); secs > 0 && timedOut(secs, healthTimeout(tg)) {
		// The application answers, but after the check's timeout: "Request
		// timed out" (ELB User Guide, health check reason codes).
		return healthOutcome{verdict: v, reason: ReasonTimeout, desc: reasonDescription(ReasonTimeout), slow: uint16(min(secs, math.MaxUint16))}
	}
	if known && proto == "HTTP" && tls {
		status = StatusPlainHTTPToTLS
		if !matcherAllows(hc.Matcher, status) {
			return healthOutcome{verdict: v, status: status, reason: ReasonResponseCodeMismatch, tls: plainToTLS,
				desc: "Health checks failed with these codes: [" + strconv.Itoa(status) + "]"}
		}
		return healthOutcome{verdict: v, status: status}
	}
	if lb.isALB() && grpcHealth(tg.tg) {
		// A gRPC call: its gRPC status against the matcher's GrpcCode.
		status = GRPCHealthStatus(path, status)
		if !matcherAllows(healthMatcher(tg.tg), status) {
			return healthOutcome{verdict: v, status: status, reason: ReasonResponseCodeMismatch,
				desc: "Health checks failed with these codes: [" + strconv.Itoa(status) + "]"}
		}
		return healthOutcome{verdict: v, status: status}
	}
	if !matcherAllows(hc.Matcher, status) {
		return healthOutcome{verdict: v, status: status, reason: ReasonResponseCodeMismatch,
			desc: "Health checks failed with these codes: [" + strconv.Itoa(status) + "]"}
	}
	return healthOutcome{verdict: v, status: status}
}

// ServedStatus returns the HTTP status an application with the given
// Serves map answers for path, as the analyzer assumes it: 200 for every
// path when serves is nil, else the exact path's status, else the first
// matching pattern's in key order, else 404. The data plane's task
// listeners answer with it, so real requests see what probes predict.
func ServedStatus(serves map[string]int, path string) int {
	if serves == nil {
		return 200
	}
	return servedStatus(serves, path)
}

// ResponseSeconds returns how long an application with the given
// ResponseSeconds map (model.ContainerDefinition.ResponseSeconds) takes
// to answer path, as the analyzer assumes it: the exact path's seconds,
// else the first matching pattern's in key order, else 0 (at once). The
// data plane's task listeners wait that long (scaled) before answering.
func ResponseSeconds(m map[string]int, path string) int {
	secs, _ := pathValue(m, path)
	return secs
}

// DefaultIdleTimeout is an Application Load Balancer's idle timeout
// (idle_timeout.timeout_seconds) unless it is set: 60 seconds.
const DefaultIdleTimeout = 60

// lbIdleTimeout is a load balancer's idle timeout in seconds: an
// Application Load Balancer's idle_timeout.timeout_seconds attribute, a
// Classic Load Balancer's ConnectionSettings.IdleTimeout, else the
// default (60 s for both).
func lbIdleTimeout(lb *lbNode) int {
	v := lb.lb.Attributes["idle_timeout.timeout_seconds"]
	if lb.clb != nil {
		v = lb.clb.Attributes["ConnectionSettings.IdleTimeout"]
	}
	if v == "" {
		return DefaultIdleTimeout // unset: no Atoi, whose error allocates on every probe
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return n
	}
	return DefaultIdleTimeout
}

// keepAliveShort says why a container's keep-alive timeout is too short
// for a load balancer ("" when it is not, or is unknown): ELB reuses its
// connections to targets until its idle timeout, and a target that
// closes one first makes the next request on it fail with 502.
func keepAliveShort(c *model.ContainerDefinition, lb *lbNode) string {
	if !keepAliveTooShort(c, lb) {
		return ""
	}
	idle, what := lbIdleTimeout(lb), "the load balancer "+lb.lb.Name+"'s idle timeout"
	if lb.clb != nil {
		what = "the Classic Load Balancer " + lb.lb.Name + "'s idle timeout (ConnectionSettings.IdleTimeout"
		if lb.clb.Attributes["ConnectionSettings.IdleTimeout"] == "" {
			what += ", by default"
		}
		what += ")"
	}
	return fmt.Sprintf("the container %s closes idle HTTP keep-alive connections after %d s, not later than %s (%d s): "+
		"the load balancer reuses its connections to the target until then, so now and then it sends a request on a connection the target is closing and answers 502 Bad Gateway "+
		"(its access log shows target_status_code -)", c.Name, c.KeepAliveTimeout, what, idle)
}

// keepAliveTooShort reports whether keepAliveShort has something to say
// (a probe asks it before the message is written): an Application Load
// Balancer, or a Classic Load Balancer with an HTTP or HTTPS listener
// (its keep-alive advice is for those; a TCP listener's connection is
// the client's own).
func keepAliveTooShort(c *model.ContainerDefinition, lb *lbNode) bool {
	if c == nil || lb == nil || c.KeepAliveTimeout <= 0 {
		return false
	}
	if lb.clb != nil && !lb.classicLayer7() || lb.clb == nil && lb.lb.Type != "application" {
		return false
	}
	return c.KeepAliveTimeout <= lbIdleTimeout(lb)
}

// classicLayer7 reports whether a Classic Load Balancer has an HTTP or
// HTTPS listener.
func (lb *lbNode) classicLayer7() bool {
	for _, l := range lb.clb.Listeners {
		if l.Protocol == "HTTP" || l.Protocol == "HTTPS" {
			return true
		}
	}
	return false
}

// KeepAliveIdleTimeout is the idle timeout, in seconds, of the load
// balancer named by name or ARN (an Application or Classic Load
// Balancer), the one ECS_TARGET_KEEPALIVE_SHORTER_THAN_LB_IDLE_TIMEOUT
// compares a container's keep-alive timeout with; false when n has no
// such load balancer.
func KeepAliveIdleTimeout(n *Network, nameOrARN string) (int, bool) {
	lb := n.lbs[nameOrARN]
	if lb == nil {
		lb = n.lbs[n.classicARN(nameOrARN)]
	}
	if lb == nil {
		return 0, false
	}
	return lbIdleTimeout(lb), true
}

// keepAliveHint is the remedy of CodeKeepAliveShorterThanIdle.
func keepAliveHint(c *model.ContainerDefinition, lb *lbNode) string {
	idle := lbIdleTimeout(lb)
	lower := fmt.Sprintf("aws elbv2 modify-load-balancer-attributes --load-balancer-arn %s --attributes Key=idle_timeout.timeout_seconds,Value=%d", lb.lb.ARN, max(1, c.KeepAliveTimeout-1))
	if lb.clb != nil {
		lower = fmt.Sprintf(`aws elb modify-load-balancer-attributes --load-balancer-name %s --load-balancer-attributes '{"ConnectionSettings":{"IdleTimeout":%d}}'`, lb.lb.Name, max(1, c.KeepAliveTimeout-1))
	}
	return fmt.Sprintf("make the application's keep-alive timeout longer than the idle timeout (%d s or more; Node.js: server.keepAliveTimeout = %d000, with server.headersTimeout above it), "+
		"or lower the load balancer's idle timeout below %d s (%s)",
		idle+5, idle+5, c.KeepAliveTimeout, lower)
}

// albHealthMatcher is the matcher of an NLB's HTTP(S) health check of an
// Application Load Balancer target: an alb-type target group's success
// codes cannot be modified (NLB User Guide, application-load-balancer-target)
// and are those of an HTTP check on a TCP target group.
const albHealthMatcher = "200-399"

// healthQuery is the request an NLB's health check of an Application Load
// Balancer target sends (nil for other targets): the health check path to
// the ALB's listener on the health check port, plain HTTP for an HTTP
// check, with the target's address as the Host header [choice].
func healthQuery(tg *tgNode, x *lbTarget) *Query {
	if x.eni == nil || x.eni.kind != eniLB {
		return nil
	}
	hc := tg.tg.HealthCheck
	path := hc.Path
	if path == "" {
		path = "/"
	}
	return &Query{Protocol: model.TCP, Port: x.hcPort, HTTPPath: path, HTTPHost: healthHost(x), PlainHTTP: hc.Protocol != "HTTPS"}
}

// albTargetHealth runs an NLB's health check of an Application Load
// Balancer registered in an alb-type target group. "Health checks are sent
// to the Application Load Balancer and forwarded to its targets using the
// specified port, protocol, and ping path. Ensure that your Application
// Load Balancer can receive these health checks by having a listener with
// a port and protocol that matches the health check port and protocol"
// (NLB User Guide, application-load-balancer-target). The check comes from
// the NLB node's private address, so the ALB's security groups must admit
// it as well as the clients; the ALB answers it as it answers a client
// (its listener, its rules, its own targets' answer or its 502/503/504),
// and the answer is checked against 200-399. A TCP check only connects to
// the ALB's listener [choice].
func (t *tracer) albTargetHealth(node *eniNode, lb *lbNode, tg *tgNode, x *lbTarget) healthOutcome {
	f := t.backendFlow(nil, node, lb, tg, x, x.hcPort)
	c := tracer{n: t.n, quiet: true, proto: model.TCP, clientPort: t.clientPort, gwlbDepth: t.gwlbDepth, query: healthQuery(tg, x)}
	v, _ := c.connect(&f, nil, nil)
	status := v.HTTPStatus()
	switch {
	case v == Unknown:
		return healthOutcome{verdict: Connected} // undecided: taken as healthy
	case status == 0 && v != Connected:
		r := healthReason(v)
		return healthOutcome{verdict: v, reason: r, desc: reasonDescription(r)}
	}
	proto := tg.tg.HealthCheck.Protocol
	if proto != "HTTP" && proto != "HTTPS" {
		return healthOutcome{verdict: Connected}
	}
	if l := x.eni.lb.listener(model.TCP, x.hcPort); l != nil && l.l.Protocol == "HTTP" && proto == "HTTPS" {
		// The TLS handshake fails on the ALB's plain HTTP listener.
		return healthOutcome{verdict: Connected, reason: ReasonFailedHealthChecks, desc: reasonDescription(ReasonFailedHealthChecks), tls: tlsToPlain}
	}
	if !matcherAllows(albHealthMatcher, status) {
		return healthOutcome{verdict: Connected, status: status, reason: ReasonResponseCodeMismatch,
			desc: "Health checks failed with these codes: [" + strconv.Itoa(status) + "]"}
	}
	return healthOutcome{verdict: Connected, status: status}
}
