package elbproxy

import (
	"context"
	"fmt"
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
}
