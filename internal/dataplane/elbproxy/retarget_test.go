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
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// slowApp is a real HTTP server on 127.0.0.1 that answers after the
// path's milliseconds (/wait/250), with its name; arrived hears of each
// such request when it arrives.
func slowApp(t *testing.T, name string, arrived chan<- string) netip.AddrPort {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ms, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/wait/")); err == nil {
			arrived <- name
			time.Sleep(time.Duration(ms) * time.Millisecond)
		}
		fmt.Fprint(w, name)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).AddrPort()
}

// An ALB node that follows its targets (Retarget): once the first target
// is deregistered new requests go to the second at once; a request the
// first is answering completes when it answers within the group's
// deregistration delay (100 s, scaled to 100 ms), and gets 502 when the
// delay ends first; a target registered again before its delay ends is
// not cut off.
func TestRetargetDrains(t *testing.T) {
	arrived := make(chan string, 8)
	a, b := slowApp(t, "a", arrived), slowApp(t, "b", arrived)
	tg := httpTG("tg", a, b)
	tg.Attributes = map[string]string{"deregistration_delay.timeout_seconds": "100"}
	st := albState(forward("tg"), nil, tg)
	p, base := startLB(t, st, Options{TimeScale: 0.001, Deterministic: true, IdleTimeout: 5 * time.Second})
	if _, body := rawGet(t, base, "/", "", nil); body != "a" {
		t.Fatalf("before: %q, want a (the first target)", body)
	}
	without := func(keep netip.AddrPort) *model.State {
		next := st.Clone()
		x := *tg
		x.Targets = model.TargetList{}
		x.Targets, _ = x.Targets.Append(model.Target{ID: keep.Addr().String(), Port: keep.Port(), AvailabilityZone: "us-east-1a"})
		next.TargetGroups[tg.ARN] = &x
		return next
	}
	type answer struct {
		code int
		body string
	}
	inFlight := func(path string) chan answer {
		out := make(chan answer, 1)
		go func() {
			resp, body := rawGet(t, base, path, "", nil)
			out <- answer{resp.StatusCode, body}
		}()
		if who := <-arrived; who != "a" {
			t.Fatalf("%s reached %s, want a", path, who)
		}
		return out
	}
	short, long := inFlight("/wait/40"), inFlight("/wait/2000")
	p.Retarget(without(b))
	if _, body := rawGet(t, base, "/", "", nil); body != "b" {
		t.Errorf("a new request after a's deregistration: %q, want b", body)
	}
	if got := <-short; got != (answer{200, "a"}) {
		t.Errorf("a request a answers within its deregistration delay: %v, want 200 from a", got)
	}
	if got := <-long; got.code != http.StatusBadGateway {
		t.Errorf("a request a is still answering when its deregistration delay ends: %v, want 502", got)
	}

	// a back before its delay ends: its request goes on.
	settle := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := p.Settle(ctx); err != nil {
			t.Fatal(err)
		}
	}
	p.Retarget(st)
	settle() // registered again, a is initial until its first check passes
	back := inFlight("/wait/300")
	p.Retarget(without(b))
	p.Retarget(st)
	if got := <-back; got != (answer{200, "a"}) {
		t.Errorf("a request to a, deregistered and registered again within the delay: %v, want 200 from a", got)
	}

	// A node that follows a state for long (up --follow) keeps no timer
	// of a delay that ended.
	time.Sleep(300 * time.Millisecond)
	p.mu.Lock()
	left := len(p.drains)
	p.mu.Unlock()
	if left != 0 {
		t.Errorf("%d deregistration delay timers kept after every delay ended, want none", left)
	}
}

// echoServer is a TCP target on ip:port that answers each line with its
// name and the line.
func echoServer(t *testing.T, ip string, port uint16, name string) netip.AddrPort {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(int(port))))
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
				br := bufio.NewReader(c)
				for {
					line, err := br.ReadString('\n')
					if err != nil {
						return
					}
					fmt.Fprintf(c, "%s %s", name, line)
				}
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).AddrPort()
}

// A Classic Load Balancer's node follows its instances (Retarget): a
// deregistered instance gets no new connection; with connection draining
// on, a TCP listener's connection to it lasts for the draining timeout
// (100 s, 1 s at this scale), then the node closes it; with draining off
// (the default) the node closes it at once.
func TestRetargetClassicDraining(t *testing.T) {
	a := echoServer(t, "127.0.0.2", 0, "a")
	b := echoServer(t, "127.0.0.3", a.Port(), "b")
	listeners := []model.ClassicListener{{Protocol: "TCP", LoadBalancerPort: 80, InstanceProtocol: "TCP", InstancePort: int(a.Port())}}
	st := classicState("TCP:"+strconv.Itoa(int(a.Port())), listeners, a.Addr(), b.Addr())
	st.ClassicLoadBalancers["legacy"].Attributes["ConnectionDraining.Enabled"] = "true"
	st.ClassicLoadBalancers["legacy"].Attributes["ConnectionDraining.Timeout"] = "100"
	st.ClassicLoadBalancers["legacy"].Attributes["ConnectionSettings.IdleTimeout"] = "1000" // 10 s: no idle close meanwhile
	p, err := NewClassic(st, "legacy", Options{TimeScale: 0.01, Deterministic: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go p.Serve(ln, 80)
	settle := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := p.Settle(ctx); err != nil {
			t.Fatal(err)
		}
	}
	settle()
	type conn struct {
		c  net.Conn
		br *bufio.Reader
	}
	dial := func() *conn {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return &conn{c, bufio.NewReader(c)}
	}
	// say sends a line and returns who answered it.
	say := func(c *conn) string {
		c.c.SetDeadline(time.Now().Add(2 * time.Second))
		if _, err := io.WriteString(c.c, "hello\n"); err != nil {
			return "error: " + err.Error()
		}
		line, err := c.br.ReadString('\n')
		if err != nil {
			return "error: " + err.Error()
		}
		return strings.Fields(line)[0]
	}
	without := func(keep model.InstanceID) *model.State {
		next := st.Clone()
		c := *next.ClassicLoadBalancers["legacy"]
		c.Instances = []model.InstanceID{keep}
		next.ClassicLoadBalancers["legacy"] = &c
		return next
	}
	held := dial()
	if got := say(held); got != "a" {
		t.Fatalf("before: %q, want a", got)
	}
	p.Retarget(without("i-1"))
	if got := say(dial()); got != "b" {
		t.Errorf("a new connection after a's deregistration: %q, want b", got)
	}
	if got := say(held); got != "a" {
		t.Errorf("a connection to a, deregistered just now with connection draining on: %q, want a", got)
	}
	time.Sleep(1500 * time.Millisecond)
	if got := say(held); !strings.HasPrefix(got, "error") {
		t.Errorf("a connection to a, 1.5 s after its deregistration (draining timeout 1 s): %q, want it closed", got)
	}

	// Draining off: b's connection ends at once.
	off := st.Clone()
	c := *off.ClassicLoadBalancers["legacy"]
	c.Attributes = map[string]string{"CrossZoneLoadBalancing.Enabled": "true", "ConnectionSettings.IdleTimeout": "1000"}
	off.ClassicLoadBalancers["legacy"] = &c
	st = off
	p.Retarget(without("i-1"))
	toB := dial()
	if got := say(toB); got != "b" {
		t.Fatalf("the one instance left: %q, want b", got)
	}
	p.Retarget(without("i-0"))
	time.Sleep(100 * time.Millisecond)
	if got := say(toB); !strings.HasPrefix(got, "error") {
		t.Errorf("a connection to b, deregistered with connection draining off: %q, want it closed at once", got)
	}

	// Both back: the node closes with a connection open.
	p.Retarget(st)
	settle()
	if got := say(dial()); got != "a" {
		t.Errorf("both registered again: %q, want a", got)
	}
	closed := make(chan struct{})
	go func() {
		p.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close with a connection to an instance open: still closing after 5 s")
	}
}

// A node follows a change of its group's health check settings
// (ModifyTargetGroup) at Retarget: a target failing the check on "/"
// (404, outside the matcher) turns healthy once the group checks
// /health, on the port the settings name now, at the interval they name.
func TestRetargetHealthCheckSettings(t *testing.T) {
	a := startApp(t, "127.0.0.2", "a", map[string]int{"/health": 200})
	tg := httpTG("tg", a.addr)
	tg.HealthCheck.HealthyThreshold = 2
	st := albState(forward("tg"), nil, tg)
	p, _ := startLB(t, st, Options{TimeScale: 0.001, Deterministic: true})
	p.Start()
	state := func() TargetHealth {
		h := p.Health()
		if len(h) != 1 {
			t.Fatalf("health: %+v, want one target", h)
		}
		return h[0]
	}
	if h := state(); h.State != StateUnhealthy || h.Reason != ReasonResponseCodeMismatch {
		t.Fatalf("checked on /: %+v, want unhealthy %s", h, ReasonResponseCodeMismatch)
	}
	next := st.Clone()
	x := *tg
	x.HealthCheck.Path = "/health"
	x.HealthCheck.Port = strconv.Itoa(int(a.addr.Port()))
	x.HealthCheck.IntervalSeconds = 10
	next.TargetGroups[tg.ARN] = &x
	p.Retarget(next)
	deadline := time.Now().Add(10 * time.Second)
	for state().State != StateHealthy && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if h := state(); h.State != StateHealthy {
		t.Fatalf("after the group checks /health: %+v, want healthy", h)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if last := a.seen[len(a.seen)-1]; last.URL.Path != "/health" || last.UserAgent() != HealthCheckUserAgent {
		t.Errorf("the last request the target saw: %s %q, want the health check of /health", last.URL.Path, last.UserAgent())
	}
}
