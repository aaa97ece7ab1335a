package elbproxy

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// The statuses an ALB answers, each for the reason ELB's troubleshooting
// guide gives, with ELB's own page and Server header.
func TestStatuses(t *testing.T) {
	served := func(t *testing.T) netip.AddrPort { return startApp(t, "127.0.0.2", "ok", nil).addr }
	cases := []struct {
		name   string
		target func(t *testing.T) netip.AddrPort // nil: no registered target
		opt    Options
		code   int
		status string // the status line's text, "" for a target's answer
		reason string // the target's health reason
	}{
		{"healthy target answers", served, Options{}, 200, "", ""},
		{"no registered targets", nil, Options{}, 503, "503 Service Temporarily Unavailable", ""},
		{"target refuses (nothing listens)", func(t *testing.T) netip.AddrPort { return closedPort(t, "127.0.0.3") },
			Options{}, 502, "502 Bad Gateway", ReasonFailedHealthChecks},
		{"target drops the SYN (connect timeout)", func(t *testing.T) netip.AddrPort { return silentPort(t, "127.0.0.4") },
			Options{ConnectTimeout: 300 * time.Millisecond}, 504, "504 Gateway Time-out", ReasonTimeout},
		{"target accepts and never answers (idle timeout)", func(t *testing.T) netip.AddrPort {
			return rawServer(t, "127.0.0.5", func(c net.Conn) { readRequest(c); time.Sleep(3 * time.Second) })
		}, Options{IdleTimeout: 300 * time.Millisecond}, 504, "504 Gateway Time-out", ReasonTimeout},
		{"target resets the connection", func(t *testing.T) netip.AddrPort {
			return rawServer(t, "127.0.0.6", func(c net.Conn) {
				readRequest(c)
				c.(*net.TCPConn).SetLinger(0)
			})
		}, Options{}, 502, "502 Bad Gateway", ReasonFailedHealthChecks},
		{"target sends a malformed response", func(t *testing.T) netip.AddrPort {
			return rawServer(t, "127.0.0.7", func(c net.Conn) { readRequest(c); c.Write([]byte("HELLO there\r\n\r\n")) })
		}, Options{}, 502, "502 Bad Gateway", ReasonFailedHealthChecks},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tg := httpTG("tg")
			if tc.target != nil {
				tg = httpTG("tg", tc.target(t))
			}
			p, url := startLB(t, albState(forward("tg"), nil, tg), tc.opt)
			resp, body := rawGet(t, url, "/", "", nil)
			if resp.StatusCode != tc.code {
				t.Fatalf("status %d, want %d (%s)", resp.StatusCode, tc.code, body)
			}
			if tc.status != "" {
				if resp.Status != tc.status {
					t.Errorf("status line %q, want %q", resp.Status, tc.status)
				}
				if got := resp.Header.Get("Server"); got != Server {
					t.Errorf("Server %q, want %q", got, Server)
				}
				if body != ErrorPage(tc.code) || resp.Header.Get("Content-Type") != "text/html" {
					t.Errorf("body %q (%s), want ELB's page", body, resp.Header.Get("Content-Type"))
				}
			} else if resp.Header.Get("Server") != "app/ok" {
				t.Errorf("Server %q: the target's answer should pass through", resp.Header.Get("Server"))
			}
			if tc.reason != "" {
				h := p.Health()
				if len(h) != 1 || h[0].State != StateUnhealthy || h[0].Reason != tc.reason {
					t.Errorf("health %+v, want unhealthy with %s (and fail-open)", h, tc.reason)
				}
			}
		})
	}
}

// ELB's 502 page is 122 bytes, as ALBs answer (Content-Length: 122).
func TestErrorPageSizes(t *testing.T) {
	for code, n := range map[int]int{502: 122, 503: 162} {
		if got := len(ErrorPage(code)); got != n {
			t.Errorf("ErrorPage(%d) is %d bytes, want %d", code, got, n)
		}
	}
}

// Each node sends only to healthy targets; when none is healthy it sends
// to all of them (fail-open).
func TestHealthAndFailOpen(t *testing.T) {
	a := startApp(t, "127.0.0.2", "a", map[string]int{"/": 200, "/health": 200})
	b := startApp(t, "127.0.0.3", "b", map[string]int{"/": 200}) // /health is 404
	tg := httpTG("tg", a.addr, b.addr)
	tg.HealthCheck.Path = "/health"
	p, url := startLB(t, albState(forward("tg"), nil, tg), Options{})
	h := p.Health()
	if h[0].State != StateHealthy || h[1].State != StateUnhealthy || h[1].Reason != ReasonResponseCodeMismatch ||
		h[1].Description != "Health checks failed with these codes: [404]" {
		t.Fatalf("health %+v", h)
	}
	for range 4 {
		if _, body := rawGet(t, url, "/", "", nil); !strings.HasPrefix(body, "a ") {
			t.Fatalf("a request went to %q, want only the healthy a", body)
		}
	}

	// Both unhealthy: fail-open, round robin over both.
	tg2 := httpTG("tg", a.addr, b.addr)
	tg2.HealthCheck.Path = "/missing"
	p2, url2 := startLB(t, albState(forward("tg"), nil, tg2), Options{})
	for _, x := range p2.Health() {
		if x.State != StateUnhealthy {
			t.Fatalf("health %+v, want both unhealthy", p2.Health())
		}
	}
	got := map[string]bool{}
	for range 4 {
		resp, body := rawGet(t, url2, "/", "", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("fail-open status %d", resp.StatusCode)
		}
		got[body[:1]] = true
	}
	if !got["a"] || !got["b"] {
		t.Errorf("fail-open reached %v, want both targets", got)
	}
}

// The health check port may differ from the traffic port ("traffic-port"
// is the registered one); health checks carry ELB's User-Agent.
func TestHealthCheckPort(t *testing.T) {
	a := startApp(t, "127.0.0.2", "a", nil)
	hc := startApp(t, "127.0.0.2", "hc", nil)
	tg := httpTG("tg", a.addr)
	tg.HealthCheck.Port = itoa(hc.addr.Port())
	p, _ := startLB(t, albState(forward("tg"), nil, tg), Options{})
	if h := p.Health(); h[0].State != StateHealthy {
		t.Fatalf("health %+v", h)
	}
	if len(a.requests()) != 0 {
		t.Errorf("the traffic port got %d health checks", len(a.requests()))
	}
	r := hc.requests()
	if len(r) == 0 || r[0].Header.Get("User-Agent") != HealthCheckUserAgent {
		t.Fatalf("health check requests %v", r)
	}
}

// Thresholds: a healthy target goes out of service after
// UnhealthyThreshold failures, back after HealthyThreshold successes, at
// the scaled interval.
func TestThresholds(t *testing.T) {
	var failing atomic.Bool
	ap := rawServer(t, "127.0.0.2", func(c net.Conn) {
		readRequest(c)
		if !failing.Load() {
			c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
		} else {
			c.Write([]byte("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
		}
	})
	tg := httpTG("tg", ap)
	tg.HealthCheck.IntervalSeconds, tg.HealthCheck.HealthyThreshold, tg.HealthCheck.UnhealthyThreshold = 5, 3, 2
	p, err := New(albState(forward("tg"), nil, tg), lbARN, Options{TimeScale: 0.001})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	g := p.groups[tgARN("tg")]
	x := g.current()[0]
	hc, _ := hcSettings(g.tg())
	step := func(pass bool) string {
		x.record(hc, pass, ReasonResponseCodeMismatch, "Health checks failed with these codes: [500]")
		s, _, _, _ := x.health()
		return s
	}
	seq := []struct {
		pass bool
		want string
	}{{true, StateHealthy}, {false, StateHealthy}, {false, StateUnhealthy}, {true, StateUnhealthy}, {true, StateUnhealthy}, {true, StateHealthy}}
	for i, s := range seq {
		if got := step(s.pass); got != s.want {
			t.Fatalf("check %d (pass %v): %s, want %s", i, s.pass, got, s.want)
		}
	}
	// And through the real loop: the target starts failing.
	failing.Store(true)
	p.Start()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if s, r, _, _ := x.health(); s == StateUnhealthy && r == ReasonResponseCodeMismatch {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the target never went unhealthy: %+v", p.Health())
}

// The headers ALB adds for the target; the Host header passes unchanged.
func TestForwardedHeaders(t *testing.T) {
	a := startApp(t, "127.0.0.2", "a", nil)
	_, url := startLB(t, albState(forward("tg"), nil, httpTG("tg", a.addr)), Options{})
	rawGet(t, url, "/x?y=1", "shop.example", map[string]string{"X-Forwarded-For": "203.0.113.9"})
	var r *http.Request
	for _, x := range a.requests() {
		if x.Header.Get("User-Agent") != HealthCheckUserAgent {
			r = x
		}
	}
	if r == nil {
		t.Fatal("no request reached the target")
	}
	if got := r.Header.Get("X-Forwarded-For"); got != "203.0.113.9, 127.0.0.1" {
		t.Errorf("X-Forwarded-For %q", got)
	}
	if r.Header.Get("X-Forwarded-Proto") != "http" || r.Header.Get("X-Forwarded-Port") != "80" || r.Host != "shop.example" ||
		r.URL.RequestURI() != "/x?y=1" || !strings.HasPrefix(r.Header.Get("X-Amzn-Trace-Id"), "Root=1-") {
		t.Errorf("forwarded %s %s host %s headers %v", r.Method, r.URL, r.Host, r.Header)
	}
}

// Rules in priority order, fixed responses and redirects.
func TestActions(t *testing.T) {
	api := startApp(t, "127.0.0.2", "api", nil)
	web := startApp(t, "127.0.0.3", "web", nil)
	rules := []*model.ListenerRule{
		{Priority: 20, Conditions: []model.RuleCondition{{Field: "host-header", Values: []string{"www.shop.example"}}}, Actions: []model.ListenerAction{forward("web")}},
		{Priority: 10, Conditions: []model.RuleCondition{{Field: "path-pattern", Values: []string{"/api/*"}}}, Actions: []model.ListenerAction{forward("api")}},
		{Priority: 30, Conditions: []model.RuleCondition{{Field: "path-pattern", Values: []string{"/old/*"}}},
			Actions: []model.ListenerAction{{Type: "redirect", Order: 1, Redirect: map[string]string{"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}}},
		{Priority: 40, Conditions: []model.RuleCondition{{Field: "http-request-method", Values: []string{"DELETE"}}},
			Actions: []model.ListenerAction{{Type: "fixed-response", Order: 1, FixedResponse: &model.FixedResponse{StatusCode: "403", ContentType: "application/json", MessageBody: `{"no":1}`}}}},
	}
	def := model.ListenerAction{Type: "fixed-response", Order: 1, FixedResponse: &model.FixedResponse{StatusCode: "404", ContentType: "text/plain", MessageBody: "nothing here"}}
	_, url := startLB(t, albState(def, rules, httpTG("api", api.addr), httpTG("web", web.addr)), Options{})

	cases := []struct{ path, host, code, body, location string }{
		{"/api/orders", "", "200", "api /api/orders", ""},
		{"/api/orders", "www.shop.example", "200", "api /api/orders", ""}, // priority 10 before 20
		{"/products", "WWW.Shop.Example", "200", "web /products", ""},
		{"/products", "", "404", "nothing here", ""},
		{"/old/page?a=b", "shop.example", "301", ErrorPage(301), "https://shop.example/old/page?a=b"},
	}
	for _, c := range cases {
		resp, body := rawGet(t, url, c.path, c.host, nil)
		if itoa(uint16(resp.StatusCode)) != c.code || !strings.HasPrefix(body, c.body) || resp.Header.Get("Location") != c.location {
			t.Errorf("%s (host %q): %d %q location %q; want %s %q %q", c.path, c.host, resp.StatusCode, body, resp.Header.Get("Location"), c.code, c.body, c.location)
		}
		if c.code != "200" && resp.Header.Get("Server") != Server {
			t.Errorf("%s: Server %q", c.path, resp.Header.Get("Server"))
		}
	}
	req, _ := http.NewRequest(http.MethodDelete, url+"/x", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("DELETE: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// Weighted target groups: a weight of 0 gets nothing; Deterministic takes
// the heaviest group (the first of equals), as the analyzer reports.
func TestWeightedForward(t *testing.T) {
	a := startApp(t, "127.0.0.2", "a", nil)
	b := startApp(t, "127.0.0.3", "b", nil)
	act := model.ListenerAction{Type: "forward", Order: 1, TargetGroups: []model.WeightedTargetGroup{{ARN: tgARN("a"), Weight: 0}, {ARN: tgARN("b"), Weight: 5}}}
	_, url := startLB(t, albState(act, nil, httpTG("a", a.addr), httpTG("b", b.addr)), Options{})
	for range 5 {
		if _, body := rawGet(t, url, "/", "", nil); !strings.HasPrefix(body, "b ") {
			t.Fatalf("weight 0 group got %q", body)
		}
	}
	act.TargetGroups[0].Weight = 1
	_, url = startLB(t, albState(act, nil, httpTG("a", a.addr), httpTG("b", b.addr)), Options{Deterministic: true})
	if _, body := rawGet(t, url, "/", "", nil); !strings.HasPrefix(body, "b ") {
		t.Errorf("deterministic forward got %q, want the heaviest group b (5 of 6)", body)
	}
	act.TargetGroups[0].Weight = 5
	_, url = startLB(t, albState(act, nil, httpTG("a", a.addr), httpTG("b", b.addr)), Options{Deterministic: true})
	if _, body := rawGet(t, url, "/", "", nil); !strings.HasPrefix(body, "a ") {
		t.Errorf("deterministic forward got %q, want the first of two equal groups", body)
	}
}

// Deterministic: the requests of one connection meet a weighted
// forward's groups of a weight above 0 in turn, heaviest first (the
// first of equals), and a new connection starts again at the heaviest.
func TestWeightedForwardTurns(t *testing.T) {
	a := startApp(t, "127.0.0.2", "a", nil)
	b := startApp(t, "127.0.0.3", "b", nil)
	c := startApp(t, "127.0.0.4", "c", nil)
	act := model.ListenerAction{Type: "forward", Order: 1, TargetGroups: []model.WeightedTargetGroup{
		{ARN: tgARN("a"), Weight: 10}, {ARN: tgARN("b"), Weight: 0}, {ARN: tgARN("c"), Weight: 90}}}
	_, url := startLB(t, albState(act, nil, httpTG("a", a.addr), httpTG("b", b.addr), httpTG("c", c.addr)), Options{Deterministic: true})
	tr := &http.Transport{MaxConnsPerHost: 1}
	defer tr.CloseIdleConnections()
	client := &http.Client{Timeout: 20 * time.Second, Transport: tr}
	var got []string
	for range 5 {
		resp, err := client.Get(url + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got = append(got, strings.Fields(string(body))[0])
	}
	if want := []string{"c", "a", "c", "a", "c"}; !slices.Equal(got, want) {
		t.Errorf("one connection's requests went to %v, want %v", got, want)
	}
	tr.CloseIdleConnections()
	if _, body := rawGet(t, url, "/", "", nil); !strings.HasPrefix(body, "c ") {
		t.Errorf("a new connection's first request got %q, want the heaviest group c", body)
	}
}

// A target that answers HTTP/1.0 without a length and closes its
// connection (as Go's TLS server answers plain HTTP): the node relays the
// body chunked and keeps the client's connection open, so the client's
// next request on it meets the weighted forward's next group.
func TestTargetCloseKeepsClientConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				http.ReadRequest(bufio.NewReader(c))
				io.WriteString(c, "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n")
			}()
		}
	}()
	b := startApp(t, "127.0.0.3", "b", nil)
	act := model.ListenerAction{Type: "forward", Order: 1, TargetGroups: []model.WeightedTargetGroup{{ARN: tgARN("a"), Weight: 2}, {ARN: tgARN("b"), Weight: 1}}}
	_, url := startLB(t, albState(act, nil, httpTG("a", ln.Addr().(*net.TCPAddr).AddrPort()), httpTG("b", b.addr)), Options{Deterministic: true})
	tr := &http.Transport{MaxConnsPerHost: 1}
	defer tr.CloseIdleConnections()
	client := &http.Client{Timeout: 20 * time.Second, Transport: tr}
	var got []string
	for range 2 {
		resp, err := client.Get(url + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Close {
			t.Errorf("the node closes the client's connection after %d %q", resp.StatusCode, body)
		}
		got = append(got, strconv.Itoa(resp.StatusCode)+" "+strings.Fields(string(body))[0])
	}
	if want := []string{"400 Client", "200 b"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// A client's connection stays open across requests (keep-alive), and a
// request the load balancer cannot parse gets ELB's 400 page.
func TestConnection(t *testing.T) {
	a := startApp(t, "127.0.0.2", "a", nil)
	_, url := startLB(t, albState(forward("tg"), nil, httpTG("tg", a.addr)), Options{})
	c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	for i := range 3 {
		c.Write([]byte("GET /k HTTP/1.1\r\nHost: x\r\n\r\n"))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("request %d on one connection: %v", i, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Close {
			t.Fatalf("request %d: %d close=%v", i, resp.StatusCode, resp.Close)
		}
	}
	c.Write([]byte("NOT HTTP\r\n\r\n"))
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 400 || resp.Header.Get("Server") != Server {
		t.Errorf("garbage: %d %v", resp.StatusCode, resp.Header)
	}
}

func itoa(n uint16) string {
	return netip.AddrPortFrom(netip.IPv4Unspecified(), n).String()[len("0.0.0.0:"):]
}

// A request body reaches the target; a client that waits for "100
// Continue" gets it from the node.
func TestRequestBody(t *testing.T) {
	var got atomic.Value
	ap := rawServer(t, "127.0.0.2", func(c net.Conn) {
		r, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		if r.Method == http.MethodPost {
			b, _ := io.ReadAll(r.Body)
			got.Store(string(b))
		}
		c.Write([]byte("HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
	})
	tg := httpTG("tg", ap)
	tg.HealthCheck.Matcher = "200-299"
	_, url := startLB(t, albState(forward("tg"), nil, tg), Options{})
	req, _ := http.NewRequest(http.MethodPost, url+"/upload", strings.NewReader("hello body"))
	req.Header.Set("Expect", "100-continue")
	tr := &http.Transport{ExpectContinueTimeout: 10 * time.Second}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 5 * time.Second}).Do(req) // fails unless 100 Continue comes before the 10 s
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 || got.Load() != "hello body" {
		t.Errorf("status %d, target got %v", resp.StatusCode, got.Load())
	}
}

// A streamed (chunked) answer passes through whole, a HEAD answer has no
// body, and an HTTP/1.0 client's connection closes after its answer.
func TestResponseFraming(t *testing.T) {
	ap := rawServer(t, "127.0.0.2", func(c net.Conn) {
		br := bufio.NewReader(c)
		for {
			r, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			switch {
			case r.Header.Get("User-Agent") == HealthCheckUserAgent:
				c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
				return
			case r.Method == http.MethodHead:
				c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"))
			default:
				c.Write([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"))
			}
		}
	})
	_, url := startLB(t, albState(forward("tg"), nil, httpTG("tg", ap)), Options{})
	resp, body := rawGet(t, url, "/stream", "", nil)
	if resp.StatusCode != 200 || body != "hello world" {
		t.Errorf("chunked: %d %q", resp.StatusCode, body)
	}
	req, _ := http.NewRequest(http.MethodHead, url+"/", nil)
	hr, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	hr.Body.Close()
	if hr.StatusCode != 200 || hr.ContentLength != 1234 {
		t.Errorf("HEAD: %d, Content-Length %d", hr.StatusCode, hr.ContentLength)
	}
	c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("GET /old HTTP/1.0\r\n\r\n"))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	all, err := io.ReadAll(c) // ends only when the node closes the connection
	if err != nil || !strings.HasPrefix(string(all), "HTTP/1.1 200 OK") || !strings.Contains(string(all), "hello world") {
		t.Errorf("HTTP/1.0: %v %q", err, all)
	}
}

// A rule's transforms rewrite what the target gets, after the conditions
// chose the rule on the request as it came: the URL (path and query) and
// the host header; a rewrite that does not match leaves the request as it
// came; one that matches but leaves no path is a 500 (ALB User Guide,
// "Transforms for listener rules").
func TestTransforms(t *testing.T) {
	api := startApp(t, "127.0.0.2", "api", map[string]int{"/users": 200, "/users/*": 200})
	rules := []*model.ListenerRule{
		{Priority: 10, Conditions: []model.RuleCondition{{Field: "path-pattern", Values: []string{"/api/*"}}}, Actions: []model.ListenerAction{forward("api")},
			Transforms: []model.RuleTransform{
				{Type: model.TransformURLRewrite, Regex: "^/api/(.*)$", Replace: "/$1"},
				{Type: model.TransformHostHeaderRewrite, Regex: "^shop\\.(.+)$", Replace: "api.$1"},
			}},
		{Priority: 20, Conditions: []model.RuleCondition{{Field: "path-pattern", Values: []string{"/bad/*"}}}, Actions: []model.ListenerAction{forward("api")},
			Transforms: []model.RuleTransform{{Type: model.TransformURLRewrite, Regex: "^/bad/.*$", Replace: "users"}}},
	}
	def := model.ListenerAction{Type: "fixed-response", Order: 1, FixedResponse: &model.FixedResponse{StatusCode: "404", ContentType: "text/plain", MessageBody: "nothing here"}}
	_, url := startLB(t, albState(def, rules, httpTG("api", api.addr)), Options{})
	for _, c := range []struct{ path, host, code, uri, gotHost string }{
		{"/api/users/7?x=1", "shop.example", "200", "/users/7?x=1", "api.example"},
		{"/api/users", "other.example", "200", "/users", "other.example"},
		{"/bad/x", "shop.example", "500", "", ""},
	} {
		before := len(api.requests())
		resp, _ := rawGet(t, url, c.path, c.host, nil)
		if itoa(uint16(resp.StatusCode)) != c.code {
			t.Errorf("%s: %d, want %s", c.path, resp.StatusCode, c.code)
			continue
		}
		var r *http.Request
		for _, x := range api.requests()[before:] {
			if x.Header.Get("User-Agent") != HealthCheckUserAgent {
				r = x
			}
		}
		if c.uri == "" {
			if r != nil {
				t.Errorf("%s: the target got %s", c.path, r.URL)
			}
			continue
		}
		if r == nil || r.URL.RequestURI() != c.uri || r.Host != c.gotHost {
			t.Errorf("%s: the target got %+v, want %s host %s", c.path, r, c.uri, c.gotHost)
		}
	}
}
