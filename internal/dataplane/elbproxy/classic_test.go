package elbproxy

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// classicState is a model with one Classic Load Balancer "legacy" in two
// zones (cross-zone on), the given listeners and health check target,
// and a running instance (us-east-1a) for each address, registered in
// order.
func classicState(target string, listeners []model.ClassicListener, addrs ...netip.Addr) *model.State {
	st := model.NewState("123456789012", "us-east-1")
	c := &model.ClassicLoadBalancer{Name: "legacy", DNSName: "legacy-1.us-east-1.elb.amazonaws.com", Scheme: "internet-facing",
		Nodes:     []model.LoadBalancerNode{{AvailabilityZone: "us-east-1a"}, {AvailabilityZone: "us-east-1b"}},
		Listeners: listeners, Attributes: map[string]string{"CrossZoneLoadBalancing.Enabled": "true"},
		HealthCheck: model.ClassicHealthCheck{Target: target, Interval: 30, Timeout: 5, HealthyThreshold: 10, UnhealthyThreshold: 2}}
	for i, a := range addrs {
		id := model.InstanceID("i-" + strconv.Itoa(i))
		eni := model.NetworkInterfaceID("eni-" + strconv.Itoa(i))
		st.NetworkInterfaces[eni] = &model.NetworkInterface{ID: eni, AvailabilityZone: "us-east-1a", PrivateIPs: []model.PrivateIP{{Addr: a, Primary: true}}}
		st.Instances[id] = &model.Instance{ID: id, State: model.InstanceRunning, AvailabilityZone: "us-east-1a", PrimaryENI: eni}
		c.Instances = append(c.Instances, id)
	}
	st.ClassicLoadBalancers[c.Name] = c
	return st
}

// startClassic builds the node, serves each listener on 127.0.0.1 and
// settles its health checks; it returns the node and each listener's
// address by load balancer port.
func startClassic(t *testing.T, st *model.State) (*LoadBalancer, map[uint16]string) {
	t.Helper()
	p, err := NewClassic(st, "legacy", Options{TimeScale: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	addrs := map[uint16]string{}
	for _, port := range p.Ports() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go p.Serve(ln, port)
		addrs[port] = ln.Addr().String()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p, addrs
}

// A Classic Load Balancer's HTTP listener sends to the listener's
// instance port on InService instances only (its HTTP health check passes
// on 200), and with none InService answers 503: no fail-open.
func TestClassicHTTP(t *testing.T) {
	a := startApp(t, "127.0.0.2", "a", map[string]int{"/": 200, "/health": 200})
	port := a.addr.Port()
	b := startAppOn(t, "127.0.0.3", port, "b", map[string]int{"/": 200}) // /health is 404
	listeners := []model.ClassicListener{{Protocol: "HTTP", LoadBalancerPort: 80, InstanceProtocol: "HTTP", InstancePort: int(port)}}
	hc := "HTTP:" + strconv.Itoa(int(port)) + "/health"
	p, addrs := startClassic(t, classicState(hc, listeners, a.addr.Addr(), b.addr.Addr()))
	if h := p.Health(); h[0].State != StateHealthy || h[1].State != StateUnhealthy {
		t.Fatalf("health %+v, want a InService, b OutOfService", h)
	}
	for range 3 {
		resp, body := rawGet(t, "http://"+addrs[80], "/", "", nil)
		if resp.StatusCode != 200 || !strings.HasPrefix(body, "a / ") || !strings.Contains(body, "proto=http port=80") {
			t.Fatalf("%d %q, want a's 200 with X-Forwarded-Proto and -Port", resp.StatusCode, body)
		}
	}
	if r := a.requests(); r[len(r)-1].Header.Get("X-Amzn-Trace-Id") != "" {
		t.Error("a Classic Load Balancer added X-Amzn-Trace-Id")
	}

	// Every instance OutOfService: 503 from ELB, not fail-open.
	_, addrs = startClassic(t, classicState("HTTP:"+strconv.Itoa(int(port))+"/missing", listeners, a.addr.Addr(), b.addr.Addr()))
	resp, _ := rawGet(t, "http://"+addrs[80], "/", "", nil)
	if resp.StatusCode != 503 || resp.Header.Get("Server") != Server {
		t.Errorf("no InService instance: %d %q, want ELB's 503", resp.StatusCode, resp.Header.Get("Server"))
	}
}

// A TCP listener is a TCP proxy to the instance port; the client's
// connection is reset when no instance is InService or the instance
// refuses.
func TestClassicTCP(t *testing.T) {
	echo := rawServer(t, "127.0.0.2", func(c net.Conn) {
		line, _ := bufio.NewReader(c).ReadString('\n')
		io.WriteString(c, "echo "+line)
	})
	closed := closedPort(t, "127.0.0.2")
	listeners := []model.ClassicListener{
		{Protocol: "TCP", LoadBalancerPort: 5000, InstanceProtocol: "TCP", InstancePort: int(echo.Port())},
		{Protocol: "TCP", LoadBalancerPort: 5001, InstanceProtocol: "TCP", InstancePort: int(closed.Port())},
	}
	_, addrs := startClassic(t, classicState("TCP:"+strconv.Itoa(int(echo.Port())), listeners, echo.Addr()))
	if got, err := tcpExchange(addrs[5000]); err != nil || got != "echo hello\n" {
		t.Errorf("through TCP:5000: %q, %v; want the instance's echo", got, err)
	}
	if _, err := tcpExchange(addrs[5001]); !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, syscall.EPIPE) {
		t.Errorf("to a refusing instance port: %v, want the connection reset", err)
	}
	// The health check fails (nothing listens): OutOfService, reset.
	_, addrs = startClassic(t, classicState("TCP:"+strconv.Itoa(int(closed.Port())), listeners, echo.Addr()))
	if _, err := tcpExchange(addrs[5000]); !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, syscall.EPIPE) {
		t.Errorf("no InService instance: %v, want the connection reset", err)
	}
}

// tcpExchange sends a line and reads the answer's first line.
func tcpExchange(addr string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, "hello\n"); err != nil {
		return "", err
	}
	return bufio.NewReader(c).ReadString('\n')
}

// A TCP listener passes a half-close: a client that ends its half after
// its request still reads the instance's answer, written after the
// instance read the end of the request.
func TestClassicTCPHalfClose(t *testing.T) {
	counter := rawServer(t, "127.0.0.2", func(c net.Conn) {
		b, _ := io.ReadAll(c) // until the client's FIN
		io.WriteString(c, "read "+strconv.Itoa(len(b))+" bytes\n")
	})
	listeners := []model.ClassicListener{{Protocol: "TCP", LoadBalancerPort: 5000, InstanceProtocol: "TCP", InstancePort: int(counter.Port())}}
	_, addrs := startClassic(t, classicState("TCP:"+strconv.Itoa(int(counter.Port())), listeners, counter.Addr()))
	c, err := net.DialTimeout("tcp", addrs[5000], 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "hello")
	c.(*net.TCPConn).CloseWrite()
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "read 5 bytes\n" {
		t.Errorf("after the client's half-close: %q, %v; want the instance's answer, then EOF", got, err)
	}
}

// A TCP listener's idle timeout is the connection's: one that carries
// data one way only is not idle, one that carries none for
// ConnectionSettings.IdleTimeout (times the scale) is closed.
func TestClassicTCPIdleTimeout(t *testing.T) {
	ticker := rawServer(t, "127.0.0.2", func(c net.Conn) {
		for range 12 { // 1.2 s of a byte every 100 ms, four idle timeouts
			if _, err := io.WriteString(c, "."); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		io.WriteString(c, "\n")
		c.Read(make([]byte, 1)) // then silence until the node closes
	})
	listeners := []model.ClassicListener{{Protocol: "TCP", LoadBalancerPort: 5000, InstanceProtocol: "TCP", InstancePort: int(ticker.Port())}}
	st := classicState("TCP:"+strconv.Itoa(int(ticker.Port())), listeners, ticker.Addr())
	st.ClassicLoadBalancers["legacy"].Attributes["ConnectionSettings.IdleTimeout"] = "30" // 300 ms at 0.01
	_, addrs := startClassic(t, st)
	c, err := net.DialTimeout("tcp", addrs[5000], 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || line != strings.Repeat(".", 12)+"\n" {
		t.Fatalf("a connection busy one way: %q, %v; want all 12 bytes (the client's silence is not idleness)", line, err)
	}
	start := time.Now()
	n, err := c.Read(make([]byte, 1))
	if waited := time.Since(start); n != 0 || err != io.EOF || waited < 250*time.Millisecond || waited > 3*time.Second {
		t.Errorf("an idle connection: %d bytes, %v after %v; want the node's close (EOF) after about 300 ms", n, err, waited)
	}
}

// HTTPS and SSL listeners end TLS at the node (Classic Load Balancer
// guide, listener configurations): HTTPS to an HTTP instance port or, end
// to end, to an HTTPS one; SSL to a TCP instance port or to an SSL one
// (a TLS handshake with the instance). HTTPS to an instance that speaks
// plain HTTP is a 502, and plain HTTP on the HTTPS port ELB's 400.
func TestClassicHTTPSAndSSL(t *testing.T) {
	a := startApp(t, "127.0.0.2", "a", map[string]int{"/": 200})
	cert, err := SelfSigned("instance")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	secure := rawServer(t, "127.0.0.2", func(c net.Conn) {
		tc := tls.Server(c, cfg)
		br := bufio.NewReader(tc)
		line, _ := br.ReadString('\n')
		if strings.HasPrefix(line, "GET ") {
			io.WriteString(tc, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecure")
			return
		}
		io.WriteString(tc, "tls echo "+line)
	})
	port, securePort := int(a.addr.Port()), int(secure.Port())
	listeners := []model.ClassicListener{
		{Protocol: "HTTPS", LoadBalancerPort: 443, InstanceProtocol: "HTTP", InstancePort: port},
		{Protocol: "HTTPS", LoadBalancerPort: 444, InstanceProtocol: "HTTPS", InstancePort: securePort},
		{Protocol: "HTTPS", LoadBalancerPort: 445, InstanceProtocol: "HTTPS", InstancePort: port},
		{Protocol: "SSL", LoadBalancerPort: 8443, InstanceProtocol: "SSL", InstancePort: securePort},
	}
	_, addrs := startClassic(t, classicState("TCP:"+strconv.Itoa(port), listeners, a.addr.Addr()))
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec // self-signed
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := client.Get(url)
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("https://" + addrs[443] + "/"); code != 200 || !strings.Contains(body, "proto=https port=443") {
		t.Errorf("HTTPS to HTTP: %d %q, want a's 200 with X-Forwarded-Proto https", code, body)
	}
	if code, body := get("https://" + addrs[444] + "/"); code != 200 || body != "secure" {
		t.Errorf("HTTPS to HTTPS: %d %q, want the TLS instance's 200", code, body)
	}
	if code, _ := get("https://" + addrs[445] + "/"); code != 502 {
		t.Errorf("HTTPS to a plain HTTP instance: %d, want 502", code)
	}
	if code, body := get("http://" + addrs[443] + "/"); code != 400 || !strings.Contains(body, "plain HTTP request was sent to HTTPS port") {
		t.Errorf("plain HTTP on HTTPS: %d %q, want ELB's 400", code, body)
	}
	c, err := tls.Dial("tcp", addrs[8443], &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // self-signed
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(c, "hello\n")
	if line, err := bufio.NewReader(c).ReadString('\n'); line != "tls echo hello\n" {
		t.Errorf("SSL to SSL: %q, %v; want the instance's echo over TLS", line, err)
	}
}

// A Classic Load Balancer's SSL health check is a TLS handshake with the
// instance port (Classic Load Balancer guide, "Configure health checks for
// your Classic Load Balancer"): a port that speaks TLS is InService, one
// that answers plain TCP (an echo) is OutOfService, though a TCP check of
// the same port passes.
func TestClassicSSLHealthCheck(t *testing.T) {
	cert, err := SelfSigned("instance")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	secure := rawServer(t, "127.0.0.2", func(c net.Conn) {
		tc := tls.Server(c, cfg)
		tc.Handshake()
		tc.Close()
	})
	plain := rawServer(t, "127.0.0.3", func(c net.Conn) {
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.Copy(c, c) // plain TCP: the echo of whatever the client sends
	})
	for _, tc := range []struct {
		target string
		addr   netip.AddrPort
		want   string
	}{
		{"SSL:" + strconv.Itoa(int(secure.Port())), secure, StateHealthy},
		{"SSL:" + strconv.Itoa(int(plain.Port())), plain, StateUnhealthy},
		{"TCP:" + strconv.Itoa(int(plain.Port())), plain, StateHealthy},
	} {
		listeners := []model.ClassicListener{{Protocol: "TCP", LoadBalancerPort: 80, InstanceProtocol: "TCP", InstancePort: int(tc.addr.Port())}}
		p, _ := startClassic(t, classicState(tc.target, listeners, tc.addr.Addr()))
		if h := p.Health(); len(h) != 1 || h[0].State != tc.want {
			t.Errorf("health check %s of %s: %+v, want %s", tc.target, tc.addr, h, tc.want)
		}
	}
}
