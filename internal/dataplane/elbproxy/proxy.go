package elbproxy

import (
	"bufio"
	"context"
	crand "crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// DialFunc opens a connection, like net.Dialer.DialContext.
type DialFunc func(ctx context.Context, network, address string) (net.Conn, error)

func defaultDial(ctx context.Context, network, address string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, network, address)
}

// LoadBalancer is one node of a load balancer: it serves the listeners on
// the net.Listeners it is given and health-checks the targets.
type LoadBalancer struct {
	lb        *model.LoadBalancer
	opt       Options
	listeners map[uint16]*listener
	groups    map[string]*group
	transport *http.Transport
	// h2Transport speaks HTTP/2 to the targets of groups of protocol
	// version HTTP2 or GRPC.
	h2Transport *http.Transport
	// classic: a Classic Load Balancer's node (classic.go); silence how
	// long its TCP proxy keeps a client whose instance is silent.
	classic bool
	silence time.Duration

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	started bool
	closed  bool
	open    map[io.Closer]struct{}
	// drains are the timers, not yet fired, that end the connections of
	// targets that left (retarget.go).
	drains map[*time.Timer]struct{}

	// toTarget are the node's connections to each target address
	// (retarget.go), under their own lock: Close closes them holding mu.
	connMu   sync.Mutex
	toTarget map[netip.AddrPort]map[*targetConn]struct{}

	// cert is the node's certificate for its HTTPS listeners, generated
	// on first use (tls.go), under mu.
	cert *tls.Certificate
}

func newLoadBalancer(lb *model.LoadBalancer, opt Options) *LoadBalancer {
	p := &LoadBalancer{lb: lb, opt: opt, listeners: map[uint16]*listener{}, groups: map[string]*group{}, open: map[io.Closer]struct{}{}}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	connect := opt.ConnectTimeout
	p.transport = &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			ctx, cancel := context.WithTimeout(ctx, connect)
			defer cancel()
			c, err := opt.Dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return p.passing(c, addr), nil
		},
		DisableCompression:    true,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       opt.IdleTimeout,
		ResponseHeaderTimeout: opt.IdleTimeout,
		TLSClientConfig:       &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // ELB does not validate targets' certificates
	}
	p.h2Transport = p.transport.Clone()
	p.h2Transport.Protocols = new(http.Protocols)
	p.h2Transport.Protocols.SetHTTP2(true)
	p.h2Transport.Protocols.SetUnencryptedHTTP2(true)
	return p
}

// Name is the load balancer's name.
func (p *LoadBalancer) Name() string { return p.lb.Name }

// Ports lists the listener ports, in order.
func (p *LoadBalancer) Ports() []uint16 {
	var out []uint16
	for port := range p.listeners {
		out = append(out, port)
	}
	slices.Sort(out)
	return out
}

// Protocol is the protocol of the listener on port ("" when none).
func (p *LoadBalancer) Protocol(port uint16) string {
	if l := p.listeners[port]; l != nil {
		return l.l.Protocol
	}
	return ""
}

func (p *LoadBalancer) groupARNs() []string {
	var out []string
	for arn := range p.groups {
		out = append(out, arn)
	}
	slices.Sort(out)
	return out
}

// Start starts the health checks: one round at once, then one every
// interval (scaled).
func (p *LoadBalancer) Start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.started || p.closed {
		return
	}
	p.started = true
	for _, arn := range p.groupARNs() {
		p.wg.Add(1)
		go p.healthLoop(p.groups[arn])
	}
}

// Close stops the health checks, the listeners given to Serve and the
// connections in progress, and waits for them.
func (p *LoadBalancer) Close() error {
	p.mu.Lock()
	p.closed = true
	p.cancel()
	for c := range p.open {
		c.Close()
	}
	for t := range p.drains {
		t.Stop()
	}
	p.mu.Unlock()
	p.wg.Wait()
	p.transport.CloseIdleConnections()
	p.h2Transport.CloseIdleConnections()
	return nil
}

func (p *LoadBalancer) track(c io.Closer) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return false
	}
	p.open[c] = struct{}{}
	return true
}

func (p *LoadBalancer) untrack(c io.Closer) {
	p.mu.Lock()
	delete(p.open, c)
	p.mu.Unlock()
}

// Serve serves the listener on port over ln until Close (or ln fails).
// HTTP listeners get the reverse proxy, a Classic Load Balancer's TCP
// listeners the TCP proxy; HTTPS listeners (an ALB's, a Classic Load
// Balancer's) the reverse proxy behind TLS with a self-signed
// certificate (tls.go), and a Classic Load Balancer's SSL listeners the
// TCP proxy behind it.
func (p *LoadBalancer) Serve(ln net.Listener, port uint16) error {
	l := p.listeners[port]
	if l == nil {
		return fmt.Errorf("elbproxy: %s has no listener on port %d", p.lb.Name, port)
	}
	handle := p.serveConn
	switch {
	case p.classic && l.l.Protocol == "TCP":
		handle = p.proxyTCP
	case l.l.Protocol == "HTTPS", p.classic && l.l.Protocol == "SSL":
		cfg, err := p.tlsConfig()
		if err != nil {
			return fmt.Errorf("elbproxy: %s listener %d: %w", p.lb.Name, port, err)
		}
		handle = func(c net.Conn, l *listener) { p.serveTLS(c, l, cfg, p.serveConn) }
		if l.l.Protocol == "SSL" {
			// A Classic SSL listener: TLS ends, then TCP. With no
			// InService instance the connection is reset before the
			// handshake, as a TCP listener's is (the analyzer's refused,
			// a [choice]).
			handle = func(c net.Conn, l *listener) {
				if !p.anyHealthy(p.groups[classicGroup]) {
					resetConn(c)
					return
				}
				p.serveTLS(c, l, cfg, p.proxyTCP)
			}
		}
	case l.l.Protocol != "HTTP":
		return fmt.Errorf("elbproxy: %s listener %d: protocol %s is not served (only HTTP, HTTPS and a Classic Load Balancer's TCP and SSL)", p.lb.Name, port, l.l.Protocol)
	}
	if !p.track(ln) {
		return net.ErrClosed
	}
	defer p.untrack(ln)
	for {
		c, err := ln.Accept()
		if err != nil {
			if p.ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		if !p.track(c) {
			return nil
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer p.untrack(c)
			defer c.Close()
			handle(c, l)
		}()
	}
}

// addrPort is a's address and port.
func addrPort(a net.Addr) netip.AddrPort {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.AddrPort()
	}
	ap, _ := netip.ParseAddrPort(a.String())
	return ap
}

// serveConn reads requests from one client connection and answers them,
// keeping the connection open between requests until the idle timeout.
func (p *LoadBalancer) serveConn(c net.Conn, l *listener) {
	client := addrPort(c.RemoteAddr())
	br := bufio.NewReader(c)
	bw := bufio.NewWriter(c)
	for turn := 0; ; turn++ {
		c.SetReadDeadline(time.Now().Add(p.opt.IdleTimeout))
		req, err := http.ReadRequest(br)
		if err != nil {
			var ne net.Error
			if errors.Is(err, io.EOF) || errors.As(err, &ne) || p.ctx.Err() != nil {
				return
			}
			// A request ELB cannot parse gets its 400 page.
			resp := errorResponse(nil, http.StatusBadRequest)
			resp.Close = true
			resp.Write(bw)
			bw.Flush()
			return
		}
		c.SetReadDeadline(time.Time{})
		if strings.EqualFold(req.Header.Get("Expect"), "100-continue") && req.ContentLength != 0 {
			// The node reads the body itself before it forwards.
			bw.WriteString("HTTP/1.1 100 Continue\r\n\r\n")
			bw.Flush()
			req.Header.Del("Expect")
		}
		resp := p.handle(req, client, l.l.Port, turn)
		keep := !req.Close && !resp.Close
		if resp.ContentLength < 0 && !slices.Contains(resp.TransferEncoding, "chunked") && req.Method != http.MethodHead &&
			resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusNotModified {
			if req.ProtoAtLeast(1, 1) && !p.classic {
				// A body of unknown length (a target's that ends when its
				// connection does): chunked to an HTTP/1.1 client, whose
				// connection stays open; an HTTP/1.0 client's ends with
				// the body.
				resp.TransferEncoding = []string{"chunked"}
			} else {
				keep = false
			}
		}
		resp.ProtoMajor, resp.ProtoMinor, resp.Proto = 1, 1, "HTTP/1.1"
		resp.Close = !keep
		if keep {
			resp.Header.Set("Connection", "keep-alive")
		}
		err = resp.Write(bw)
		resp.Body.Close()
		if err == nil {
			err = bw.Flush()
		}
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
		if err != nil || !keep {
			return
		}
	}
}

// Handle answers one request that arrived from client on the listener
// port: the first rule whose conditions match (else the default action)
// decides; a forward goes to a target of the target group. It is the
// first request of its connection (see handle).
func (p *LoadBalancer) Handle(req *http.Request, client netip.AddrPort, port uint16) *http.Response {
	return p.handle(req, client, port, 0)
}

// handle is Handle for the request of its connection numbered turn (0 the
// first), which a Deterministic load balancer's weighted forward uses to
// choose the target group (forwardGroup).
func (p *LoadBalancer) handle(req *http.Request, client netip.AddrPort, port uint16, turn int) *http.Response {
	l := p.listeners[port]
	if l == nil {
		return errorResponse(req, http.StatusServiceUnavailable)
	}
	actions := l.l.DefaultActions
	var transforms []model.RuleTransform
	r := requestOf(req, client.Addr())
	for i, rule := range l.rules {
		var re [][]*regexp.Regexp
		if i < len(l.regex) {
			re = l.regex[i]
		}
		if matchesCompiled(rule.Conditions, re, r) {
			actions, transforms = rule.Actions, rule.Transforms
			break
		}
	}
	act, ok := lastAction(actions)
	if !ok {
		return errorResponse(req, http.StatusServiceUnavailable)
	}
	switch act.Type {
	case "fixed-response":
		return fixedResponse(req, act.FixedResponse)
	case "redirect":
		return redirect(req, act.Redirect, l)
	}
	g := p.forwardGroup(act, turn)
	if g != nil && protocolVersionMismatch(g.tg().ProtocolVersion, req) {
		// ALB troubleshooting: "HTTP 464: The load balancer received an
		// incoming request protocol that is incompatible with the version
		// config of the target group protocol".
		return errorResponse(req, 464)
	}
	if g == nil {
		return errorResponse(req, http.StatusServiceUnavailable)
	}
	t := p.pick(g)
	if t == nil {
		// ALB troubleshooting: "HTTP 503: Service unavailable. The target
		// groups for the load balancer have no registered targets." A
		// Classic Load Balancer with no InService instance, likewise.
		return errorResponse(req, http.StatusServiceUnavailable)
	}
	return p.forward(req, client, l, g, t, transforms)
}

// protocolVersionMismatch reports whether an ALB answers req 464 for a
// target group of protocol version tv (ALB troubleshooting, HTTP 464):
// an HTTP/1.1 request for a group of HTTP2 or GRPC; a gRPC request
// (HTTP/2, content-type application/grpc) for a group of HTTP1; an HTTP/2
// request that is not a POST for a group of GRPC.
func protocolVersionMismatch(tv string, req *http.Request) bool {
	grpc := req.ProtoMajor == 2 && strings.HasPrefix(req.Header.Get("Content-Type"), "application/grpc")
	switch {
	case req.ProtoMajor < 2:
		return tv == "HTTP2" || tv == "GRPC"
	case tv == "" || tv == "HTTP1":
		return grpc
	case tv == "GRPC":
		return req.Method != http.MethodPost
	}
	return false
}

// lastAction returns the action that ends an action list: actions run in
// Order, and the last is the one that answers (forward, fixed-response or
// redirect; authenticate actions come before it and are not modelled).
func lastAction(actions []model.ListenerAction) (model.ListenerAction, bool) {
	sorted := slices.Clone(actions)
	slices.SortStableFunc(sorted, func(a, b model.ListenerAction) int { return a.Order - b.Order })
	for i := len(sorted) - 1; i >= 0; i-- {
		switch sorted[i].Type {
		case "forward", "fixed-response", "redirect":
			return sorted[i], true
		}
	}
	return model.ListenerAction{}, false
}

// forwardGroup chooses the target group of a forward action: with
// weighted target groups, at random in proportion to the weights (a weight
// of 0 gets nothing). Deterministic goes through the groups of a weight
// above 0 in turn, heaviest first (the first of equals), the turn-th
// request of a connection to the turn-th of them (modulo their number): a
// connection's first request goes to the heaviest group, as the analyzer
// reports (model.ListenerAction.MainTargetGroup), and as many requests on
// one connection as there are such groups meet each of them once, the
// order of the analyzer's per-group answers (reach.Result.WeightedGroups).
func (p *LoadBalancer) forwardGroup(a model.ListenerAction, turn int) *group {
	if len(a.TargetGroups) == 0 {
		return p.groups[a.TargetGroupARN]
	}
	total := 0
	for _, w := range a.TargetGroups {
		total += max(w.Weight, 0)
	}
	if total == 0 {
		if a.TargetGroupARN != "" {
			return p.groups[a.TargetGroupARN]
		}
		return nil
	}
	if p.opt.Deterministic {
		groups := p.weightedGroups(a)
		if len(groups) == 0 {
			return p.groups[a.MainTargetGroup()]
		}
		return groups[turn%len(groups)]
	}
	n := rand.IntN(total)
	for _, w := range a.TargetGroups {
		if w.Weight <= 0 {
			continue
		}
		if n < w.Weight {
			return p.groups[w.ARN]
		}
		n -= w.Weight
	}
	return nil
}

// weightedGroups are the target groups of a weighted forward action that
// get requests (a weight above 0, a group the load balancer knows, each
// once), heaviest first, the action's order for equal weights: the
// analyzer's order (reach's weightedGroups).
func (p *LoadBalancer) weightedGroups(a model.ListenerAction) []*group {
	ws := slices.Clone(a.TargetGroups)
	slices.SortStableFunc(ws, func(x, y model.WeightedTargetGroup) int { return y.Weight - x.Weight })
	var out []*group
	seen := map[string]bool{}
	for _, w := range ws {
		if g := p.groups[w.ARN]; w.Weight > 0 && g != nil && !seen[w.ARN] {
			seen[w.ARN] = true
			out = append(out, g)
		}
	}
	return out
}

// pick chooses a target: round robin over the healthy ones (the ALB
// default algorithm), or over all of them when none is healthy
// (fail-open); nil when the group has none. A Classic Load Balancer does
// not fail open: nil when no instance is InService.
// anyHealthy reports whether a target of g is healthy (InService).
func (p *LoadBalancer) anyHealthy(g *group) bool {
	return slices.ContainsFunc(g.current(), (*target).healthy)
}

func (p *LoadBalancer) pick(g *group) *target {
	var healthy []*target
	all := g.current()
	for _, t := range all {
		if t.healthy() {
			healthy = append(healthy, t)
		}
	}
	if len(healthy) == 0 && p.classic {
		return nil
	}
	if len(healthy) == 0 {
		healthy = all
	}
	if len(healthy) == 0 {
		return nil
	}
	if p.opt.Deterministic {
		return healthy[0]
	}
	return healthy[int(g.next.Add(1)-1)%len(healthy)]
}

// hopByHop are the headers a proxy does not pass on (RFC 9110 §7.6.1).
var hopByHop = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

func removeHopByHop(h http.Header) {
	for _, f := range h.Values("Connection") {
		for _, name := range strings.Split(f, ",") {
			if name = strings.TrimSpace(name); name != "" {
				h.Del(name)
			}
		}
	}
	for _, k := range hopByHop {
		h.Del(k)
	}
}

// forward sends a request to a target on a new (or kept-alive) connection
// from the node and returns the target's response, or ELB's own error:
// 502 when the target refuses or resets the connection, closes it with
// the request outstanding, or answers with a malformed response; 504 when
// the connection does not complete within the connect timeout or the
// target does not answer within the idle timeout (ALB User Guide,
// "Troubleshoot your Application Load Balancers", HTTP 502 and 504).
//
// The matched rule's transforms rewrite the host header and the URL the
// target gets (ALB User Guide, "Transforms for listener rules"); a rewrite
// that matched but gives no valid request target is a 500 ("If there is a
// pattern match but the transform fails, we return an HTTP 500 error").
func (p *LoadBalancer) forward(req *http.Request, client netip.AddrPort, l *listener, g *group, t *target, transforms []model.RuleTransform) *http.Response {
	out := req.Clone(p.ctx)
	out.RequestURI = ""
	out.URL.Scheme = "http"
	if g.tg().Protocol == "HTTPS" && !p.classic || l.instanceProto == "HTTPS" {
		out.URL.Scheme = "https"
	}
	out.URL.Host = t.addr.String()
	if l.instancePort != 0 {
		out.URL.Host = netip.AddrPortFrom(t.addr.Addr(), l.instancePort).String()
	}
	out.Host = req.Host
	if !rewrite(out, transforms) {
		return errorResponse(req, http.StatusInternalServerError)
	}
	out.Close = false
	removeHopByHop(out.Header)
	p.forwardedHeaders(out.Header, client, l)
	tr := p.transport
	if v := g.tg().ProtocolVersion; (v == "HTTP2" || v == "GRPC") && !p.classic {
		// HTTP/2 to the target: over TLS (ALPN h2) for an HTTPS group,
		// with prior knowledge (h2c) for an HTTP one.
		tr = p.h2Transport
	}
	resp, err := tr.RoundTrip(out)
	if err != nil {
		return errorResponse(req, StatusFor(err))
	}
	removeHopByHop(resp.Header)
	resp.Request = req
	if !p.classic {
		// The target's connection is not the client's: an ALB keeps
		// its front-end connection open whatever the target does with
		// its own (Connection: close, an HTTP/1.0 answer).
		resp.Close = false
	}
	return resp
}

// StatusFor is the status an ALB answers when forwarding fails with err:
// 504 for a timeout (the connection or the answer), 502 otherwise
// (refused, reset, closed, malformed).
func StatusFor(err error) int {
	if isTimeout(err) {
		return http.StatusGatewayTimeout
	}
	return http.StatusBadGateway
}

// forwardedHeaders sets the X-Forwarded-For, -Proto and -Port headers and
// X-Amzn-Trace-Id (ALB User Guide, "HTTP headers and Application Load
// Balancers"; attribute routing.http.xff_header_processing.mode: append
// (default), preserve or remove; routing.http.xff_client_port.enabled adds
// the client's port).
func (p *LoadBalancer) forwardedHeaders(h http.Header, client netip.AddrPort, l *listener) {
	ip := client.Addr().Unmap().String()
	if p.lb.Attributes["routing.http.xff_client_port.enabled"] == "true" {
		ip = client.String()
	}
	switch p.lb.Attributes["routing.http.xff_header_processing.mode"] {
	case "preserve":
	case "remove":
		h.Del("X-Forwarded-For")
	default:
		if prior := h.Values("X-Forwarded-For"); len(prior) > 0 {
			h.Set("X-Forwarded-For", strings.Join(prior, ", ")+", "+ip)
		} else {
			h.Set("X-Forwarded-For", ip)
		}
	}
	h.Set("X-Forwarded-Proto", strings.ToLower(l.l.Protocol))
	h.Set("X-Forwarded-Port", l.port)
	if h.Get("X-Amzn-Trace-Id") == "" && !p.classic {
		var b [12]byte
		crand.Read(b[:])
		h.Set("X-Amzn-Trace-Id", "Root=1-"+strconv.FormatInt(time.Now().Unix(), 16)+"-"+hex.EncodeToString(b[:]))
	}
}

// fixedResponse answers a fixed-response action: its status, content type
// and body, from ELB ("Server: awselb/2.0").
func fixedResponse(req *http.Request, f *model.FixedResponse) *http.Response {
	code := 200
	ct, body := "text/plain; charset=utf-8", ""
	if f != nil {
		if n, err := strconv.Atoi(f.StatusCode); err == nil {
			code = n
		}
		if f.ContentType != "" {
			ct = f.ContentType
		}
		body = f.MessageBody
	}
	resp := elbResponse(req, code, ct, body, nil)
	resp.Status = strconv.Itoa(code) + " " + http.StatusText(code)
	return resp
}

// redirect answers a redirect action (ELBv2 API reference,
// RedirectActionConfig): each component not given keeps its original
// value; #{protocol}, #{host}, #{port}, #{path} (without its leading
// "/") and #{query} are replaced by the request's; the status is 301
// (HTTP_301) or 302 (HTTP_302). The default port of the new protocol is
// left out of the Location.
func redirect(req *http.Request, cfg map[string]string, l *listener) *http.Response {
	host := req.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	orig := map[string]string{
		"#{protocol}": strings.ToLower(l.l.Protocol),
		"#{host}":     host,
		"#{port}":     l.port,
		"#{path}":     strings.TrimPrefix(req.URL.Path, "/"),
		"#{query}":    req.URL.RawQuery,
	}
	expand := func(key, def string) string {
		v, ok := cfg[key]
		if !ok || v == "" {
			v = def
		}
		for k, x := range orig {
			v = strings.ReplaceAll(v, k, x)
		}
		return v
	}
	proto := strings.ToLower(expand("Protocol", "#{protocol}"))
	newHost := expand("Host", "#{host}")
	port := expand("Port", "#{port}")
	path := expand("Path", "/#{path}")
	query := expand("Query", "#{query}")
	loc := proto + "://" + newHost
	if !(proto == "http" && port == "80") && !(proto == "https" && port == "443") {
		loc += ":" + port
	}
	loc += path
	if query != "" {
		loc += "?" + query
	}
	code := http.StatusMovedPermanently
	if cfg["StatusCode"] == "HTTP_302" {
		code = http.StatusFound
	}
	return elbResponse(req, code, "text/html", ErrorPage(code), http.Header{"Location": {loc}})
}

// rewrite applies a rule's transforms to a request: the host header, and
// the URL as it came (escaped path and query string). It reports false
// when the rewritten URL is no origin-form request target ("/path?query")
// or the host is left empty.
func rewrite(out *http.Request, ts []model.RuleTransform) bool {
	if len(ts) == 0 {
		return true
	}
	u := out.URL.EscapedPath()
	if out.URL.RawQuery != "" {
		u += "?" + out.URL.RawQuery
	}
	host, nu := model.ApplyTransforms(ts, out.Host, u)
	if host == "" {
		return false
	}
	out.Host = host
	if nu == u {
		return true
	}
	if !strings.HasPrefix(nu, "/") {
		return false
	}
	pu, err := url.ParseRequestURI(nu)
	if err != nil {
		return false
	}
	out.URL.Path, out.URL.RawPath, out.URL.RawQuery = pu.Path, pu.RawPath, pu.RawQuery
	return true
}
