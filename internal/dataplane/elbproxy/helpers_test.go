package elbproxy

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

const (
	lbARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1"
	lnARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1/1"
)

func tgARN(name string) string {
	return "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/" + name + "/1"
}

// albState is a model with one internet-facing ALB in two zones, an HTTP
// listener on port 80 with the given default action and rules, and the
// given target groups.
func albState(def model.ListenerAction, rules []*model.ListenerRule, tgs ...*model.TargetGroup) *model.State {
	st := model.NewState("123456789012", "us-east-1")
	st.LoadBalancers[lbARN] = &model.LoadBalancer{ARN: lbARN, Name: "web", Type: "application", Scheme: "internet-facing", State: "active",
		DNSName: "web-1.us-east-1.elb.amazonaws.com",
		Nodes:   []model.LoadBalancerNode{{AvailabilityZone: "us-east-1a"}, {AvailabilityZone: "us-east-1b"}}}
	st.Listeners[lnARN] = &model.Listener{ARN: lnARN, LoadBalancerARN: lbARN, Port: 80, Protocol: "HTTP", DefaultActions: []model.ListenerAction{def}}
	for i, r := range rules {
		r.ListenerARN = lnARN
		r.ARN = fmt.Sprintf("%s/rule%d", lnARN, i)
		st.ListenerRules[r.ARN] = r
	}
	for _, tg := range tgs {
		st.TargetGroups[tg.ARN] = tg
	}
	return st
}

// httpTG is an ip target group with ALB's default HTTP health check and
// the given targets (in zone us-east-1a).
func httpTG(name string, targets ...netip.AddrPort) *model.TargetGroup {
	tg := &model.TargetGroup{ARN: tgARN(name), Name: name, Protocol: "HTTP", Port: 80, TargetType: "ip",
		HealthCheck: model.HealthCheck{Enabled: true, Protocol: "HTTP", Port: "traffic-port", Path: "/", IntervalSeconds: 30,
			TimeoutSeconds: 5, HealthyThreshold: 5, UnhealthyThreshold: 2, Matcher: "200"}}
	for _, a := range targets {
		tg.Targets, _ = tg.Targets.Append(model.Target{ID: a.Addr().String(), Port: a.Port(), AvailabilityZone: "us-east-1a"})
	}
	return tg
}

func forward(tg string) model.ListenerAction {
	return model.ListenerAction{Type: "forward", Order: 1, TargetGroupARN: tgARN(tg)}
}

// app is a real HTTP server on a loopback address: it answers each path
// with its status from serves (200 for every path when nil), and writes
// its name and the forwarded headers it saw.
type app struct {
	name string
	addr netip.AddrPort
	mu   sync.Mutex
	seen []*http.Request
	// allowedHosts are the Host names it answers, as the data plane's
	// container listeners do (nil: all; others 400).
	allowedHosts []string
}

func startApp(t testing.TB, ip, name string, serves map[string]int) *app {
	t.Helper()
	return startAppOn(t, ip, 0, name, serves)
}

// startAppOn is startApp on a given port (0: any).
func startAppOn(t testing.TB, ip string, port uint16, name string, serves map[string]int) *app {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(int(port))))
	if err != nil {
		t.Fatal(err)
	}
	a := &app{name: name, addr: ln.Addr().(*net.TCPAddr).AddrPort()}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.seen = append(a.seen, r)
		allowed := a.allowedHosts
		a.mu.Unlock()
		code := 200
		if serves != nil {
			code = servesStatus(serves, r.URL.Path)
		}
		if !model.HostAllowed(allowed, r.Host) {
			code = 400
		}
		w.Header().Set("Server", "app/"+name)
		w.WriteHeader(code)
		fmt.Fprintf(w, "%s %s xff=%s proto=%s port=%s", name, r.URL.Path, r.Header.Get("X-Forwarded-For"),
			r.Header.Get("X-Forwarded-Proto"), r.Header.Get("X-Forwarded-Port"))
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return a
}

// servesStatus is a scenario's serves: map answered as an application
// does: an exact path, else the first pattern that matches (in key order,
// '*' a suffix wildcard), else 404.
func servesStatus(serves map[string]int, path string) int {
	if c, ok := serves[path]; ok {
		return c
	}
	best, code := "", 404
	for k, c := range serves {
		if strings.HasSuffix(k, "*") && strings.HasPrefix(path, strings.TrimSuffix(k, "*")) && (best == "" || k < best) {
			best, code = k, c
		}
	}
	return code
}

func (a *app) requests() []*http.Request {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]*http.Request(nil), a.seen...)
}

// closedPort is an address on ip where nothing listens: a connection is
// refused (the kernel answers the SYN with a reset).
func closedPort(t testing.TB, ip string) netip.AddrPort {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatal(err)
	}
	a := ln.Addr().(*net.TCPAddr).AddrPort()
	ln.Close()
	return a
}

// silentPort is an address on ip whose SYNs the kernel drops: a socket
// listening with a backlog of 0 that never accepts, its queue filled by
// one connection. A connection to it times out, as one to a target behind
// a security group that drops it.
func silentPort(t testing.TB, ip string) netip.AddrPort {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	a := netip.MustParseAddr(ip).As4()
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: a}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, _ := syscall.Getsockname(fd)
	ap := netip.AddrPortFrom(netip.MustParseAddr(ip), uint16(sa.(*syscall.SockaddrInet4).Port))
	c, err := net.DialTimeout("tcp", ap.String(), time.Second) // fills the queue
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return ap
}

// rawServer is a target that accepts connections and does what do says
// with each (answer garbage, reset, stay silent).
func rawServer(t testing.TB, ip string, do func(net.Conn)) netip.AddrPort {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				do(c)
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).AddrPort()
}

// readRequest reads one request from a target's connection; it reports
// whether it was a health check.
func readRequest(c net.Conn) (healthCheck bool) {
	r, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil {
		return false
	}
	return r.Header.Get("User-Agent") == HealthCheckUserAgent
}

// startLB builds a node from st, serves its listener on 127.0.0.1 and
// settles its health checks; it returns the node and its URL.
func startLB(t testing.TB, st *model.State, opt Options) (*LoadBalancer, string) {
	t.Helper()
	if opt.TimeScale == 0 {
		opt.TimeScale = 0.01
	}
	p, err := New(st, lbARN, opt)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go p.Serve(ln, 80)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p, "http://" + ln.Addr().String()
}

// rawGet sends one request on its own connection and returns the response
// with its body read.
func rawGet(t testing.TB, base, path, host string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	c := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}
