package dataplane

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A dualstack NLB's translated listeners carry the connection, not only
// the handshake: an IPv6 client of an ipv4 group and an IPv4 client of
// an ipv6 group each read the target's own answer through the node; a
// listener whose target refuses has no socket (the kernel resets the
// client), one whose target does not answer keeps its gate.
func TestNLBTranslation(t *testing.T) {
	isolated(t)
	st := loadState(t, "internal/dataplane/testdata/nlb-ipv6.yaml")
	s := up(t, st)
	public := map[netip.Addr]netip.Addr{}
	for _, e := range st.NetworkInterfaces {
		if pub, ok := e.PublicIP(); ok {
			public[e.PrimaryIP()] = pub
		}
	}
	byPort := map[uint16]NLBTranslation{}
	for _, x := range s.plan.NLBTranslations {
		byPort[x.Listen.Port()] = x
	}
	for _, c := range []struct {
		port   uint16
		v6     bool
		answer string
	}{{81, false, "api/0"}, {84, true, "SSH-"}} {
		x, ok := byPort[c.port]
		if !ok || x.Listen.Addr().Is6() != c.v6 || x.Source.Is6() == c.v6 {
			t.Fatalf("listener %d: translation %+v, want one for IPv6 clients %t", c.port, x, c.v6)
		}
		to := x.Listen
		if !c.v6 {
			// From the internet: the node's public address, which the
			// internet gateway maps to the listener's private one.
			pub, ok := public[to.Addr()]
			if !ok {
				t.Fatalf("no public address for %s", to.Addr())
			}
			to = netip.AddrPortFrom(pub, to.Port())
		}
		out := s.DialProxied(context.Background(), "internet", 0, to, false)
		if out.Verdict != "connected" || !strings.Contains(out.Detail, c.answer) {
			t.Errorf("listener %d through the node: %s (%s), want the target's answer %q", c.port, out.Verdict, out.Detail, c.answer)
		}
	}
	for _, c := range []struct {
		port uint16
		want string
	}{{85, "refused"}, {86, "timeout"}} {
		out := s.Dial(context.Background(), "internet", 0, byPort[c.port].Listen, model.TCP)
		if string(out.Verdict) != c.want {
			t.Errorf("listener %d: %s (%s), want %s", c.port, out.Verdict, out.Detail, c.want)
		}
	}
}

// loopbackNetns makes a namespace of the test's own with loopback up.
func loopbackNetns(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ns")
	if err := createNetns(path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteNetns(path) })
	if err := inNetns(path, func() error {
		lo, err := netlink.LinkByName("lo")
		if err != nil {
			return err
		}
		return netlink.LinkSetUp(lo)
	}); err != nil {
		t.Fatal(err)
	}
	return path
}

// A translated listener's relay follows TCP's half-close and lets no
// connection outlive its peers (in a namespace of its own, on loopback):
// a client that ends its half has the target read the end while the
// target's answer still comes back; a target that then never closes is
// closed, both ways, after the listener's idle timeout; a client that
// resets has the target's side closed at once; and a relay closed with
// connections open ends them.
func TestTCPRelayHalfClose(t *testing.T) {
	isolated(t)
	path := loopbackNetns(t)
	target, _, err := listenIn(path, "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	accepted := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := target.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	ln, _, err := listenIn(path, "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	to := target.Addr().(*net.TCPAddr).AddrPort()
	idle := nlbIdleTimeout("60", 1.0/30) // 2 s
	r := &tcpRelay{ln: ln, path: path, target: func() netip.AddrPort { return to }, idle: idle}
	go r.serve()
	defer r.Close()
	dial := func() (net.Conn, net.Conn) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		c, err := dialIn(ctx, path, "tcp", netip.Addr{}, 0, ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		select {
		case tc := <-accepted:
			return c, tc
		case <-time.After(2 * time.Second):
			t.Fatal("the relay did not connect to the target")
		}
		return nil, nil
	}
	// waitLive waits until the relay holds n connections.
	waitLive := func(what string, n int, within time.Duration) {
		t.Helper()
		deadline := time.Now().Add(within)
		for r.live() != n {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the relay holds %d connections after %s, want %d", what, r.live(), within, n)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}

	// Half-close: the client sends and ends its half; the target reads
	// it all, then the end, and answers after it.
	c, tc := dial()
	io.WriteString(c, "ping")
	c.(*net.TCPConn).CloseWrite()
	tc.SetReadDeadline(time.Now().Add(2 * time.Second))
	got, err := io.ReadAll(tc)
	if err != nil || string(got) != "ping" {
		t.Fatalf("the target read %q, %v; want ping, then the client's end", got, err)
	}
	io.WriteString(tc, "pong")
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 4)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "pong" {
		t.Fatalf("after its end the client read %q, %v; want the target's pong", buf, err)
	}
	// The target never closes: the idle timeout ends both sides.
	start := time.Now()
	waitLive("a half-closed connection left idle", 0, 3*idle)
	if d := time.Since(start); d < idle/2 {
		t.Errorf("closed after %s, before the idle timeout %s", d, idle)
	}
	tc.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := tc.Read(buf); err == nil {
		t.Error("the target's side is still open after the idle timeout")
	}
	c.Close()
	tc.Close()

	// A client that resets: the target's side closes at once.
	c, tc = dial()
	waitLive("a new connection", 2, time.Second)
	resetConn(c)
	c.Close()
	tc.SetReadDeadline(time.Now().Add(idle / 2))
	if _, err := tc.Read(buf); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("after the client's reset the target read: %v, want its connection ended", err)
	}
	waitLive("a reset connection", 0, idle/2)
	tc.Close()

	// Close ends what is open.
	c, tc = dial()
	defer c.Close()
	defer tc.Close()
	waitLive("a new connection", 2, time.Second)
	r.Close()
	if n := r.live(); n != 0 {
		t.Errorf("after Close the relay holds %d connections", n)
	}
}

// A translated listener follows its node's health checks as the kernel's
// pass-through does (testdata/nlb-ipv6-recheck.yaml): an IPv6 client of
// the ipv4 target group reaches the first task; once the first task stops
// listening and fails its checks, new clients reach the second; once it
// is back, the first again.
func TestNLBTranslationRecheck(t *testing.T) {
	isolated(t)
	st := loadState(t, "internal/dataplane/testdata/nlb-ipv6-recheck.yaml")
	s := up(t, st)
	if len(s.plan.NLBTranslations) != 1 || len(s.plan.NLBForwards) != 1 {
		t.Fatalf("%d translated listeners, %d with a choice; want 1 and 1", len(s.plan.NLBTranslations), len(s.plan.NLBForwards))
	}
	x := s.plan.NLBTranslations[0]
	if !x.Listen.Addr().Is6() || len(x.Candidates) != 2 {
		t.Fatalf("translation %+v: want an IPv6 listener with two candidates", x)
	}
	nsOf := func(a netip.Addr) string {
		for _, e := range st.NetworkInterfaces {
			if e.PrimaryIP() == a {
				return s.plan.Aliases[string(e.ID)]
			}
		}
		return ""
	}
	var idx []int
	var who []string
	for _, c := range x.Candidates {
		for i, l := range s.plan.Listeners {
			if l.Port == c.Port && l.Kind == "container" && nsOf(c.Addr.Addr()) == l.NS {
				idx, who = append(idx, i), append(who, l.Identity)
			}
		}
	}
	if len(idx) != 2 || who[0] == who[1] {
		t.Fatalf("the candidates' listeners: %v %v, want two tasks", idx, who)
	}
	path, src, err := s.sourceTo("internet", x.Listen.Addr())
	if err != nil {
		t.Fatal(err)
	}
	via := func() string {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		c, err := dialIn(ctx, path, "tcp", src, 0, x.Listen.String())
		if err != nil {
			return "error: " + string(errOutcome(err).Verdict)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(2 * time.Second))
		io.WriteString(c, "ecsnet\n")
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			return "error: " + err.Error()
		}
		return strings.TrimSpace(line)
	}
	until := func(what, want string) {
		t.Helper()
		start := time.Now()
		got := ""
		for time.Since(start) < 10*time.Second {
			if got = via(); got == want {
				t.Logf("%s: %q after %s", what, want, time.Since(start).Round(time.Millisecond))
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("%s: still %q after %s, want %q", what, got, time.Since(start).Round(time.Millisecond), want)
	}
	until("both healthy", who[0])
	if err := s.stopListening(idx[0]); err != nil {
		t.Fatal(err)
	}
	until("the first stopped", who[1])
	if err := s.startListening(idx[0]); err != nil {
		t.Fatal(err)
	}
	until("the first back", who[0])
}

// A translated UDP listener's relay (in a namespace of its own, on
// loopback): a client's datagrams and the target's answers pass both
// ways; a flow keeps the target it was opened to while a new client's
// flow goes to the target chosen then; an idle flow is forgotten after
// the idle timeout (the client's next datagram opens a new one, to the
// target chosen then); and Close ends every flow.
func TestUDPRelay(t *testing.T) {
	isolated(t)
	path := loopbackNetns(t)
	echo := func(name string) netip.AddrPort {
		_, pc, err := listenIn(path, "udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pc.Close() })
		go func() {
			buf := make([]byte, 512)
			for {
				n, from, err := pc.ReadFrom(buf)
				if err != nil {
					return
				}
				pc.WriteTo([]byte(name+" "+string(buf[:n])), from)
			}
		}()
		return pc.LocalAddr().(*net.UDPAddr).AddrPort()
	}
	a, b := echo("a"), echo("b")
	var mu sync.Mutex
	to := a
	_, pc, err := listenIn(path, "udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	idle := nlbUDPIdleTimeout(1.0 / 60) // 2 s
	r := &udpRelay{path: path, pc: pc, idle: idle, target: func() netip.AddrPort { mu.Lock(); defer mu.Unlock(); return to }}
	go r.serve()
	defer r.Close()
	client := func() net.Conn {
		t.Helper()
		c, err := dialIn(context.Background(), path, "udp", netip.Addr{}, 0, pc.LocalAddr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	ask := func(c net.Conn, msg string) string {
		t.Helper()
		c.Write([]byte(msg))
		c.SetReadDeadline(time.Now().Add(time.Second))
		buf := make([]byte, 512)
		n, err := c.Read(buf)
		if err != nil {
			return "error: " + err.Error()
		}
		return string(buf[:n])
	}
	c1 := client()
	if got := ask(c1, "one"); got != "a one" {
		t.Fatalf("through the relay: %q, want a one", got)
	}
	mu.Lock()
	to = b
	mu.Unlock()
	if got := ask(c1, "two"); got != "a two" {
		t.Errorf("the same flow after the choice changed: %q, want a two (its target kept)", got)
	}
	c2 := client()
	if got := ask(c2, "three"); got != "b three" {
		t.Errorf("a new client after the choice changed: %q, want b three", got)
	}
	if n := r.live(); n != 2 {
		t.Errorf("%d flows, want 2", n)
	}
	deadline := time.Now().Add(3 * idle)
	for r.live() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d flows after %s idle, want none (idle timeout %s)", r.live(), 3*idle, idle)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := ask(c1, "four"); got != "b four" {
		t.Errorf("the first client after its flow was forgotten: %q, want b four (a new flow)", got)
	}
	r.Close()
	if n := r.live(); n != 0 {
		t.Errorf("after Close the relay holds %d flows", n)
	}
}
