package dataplane

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/net/http2"
	"golang.org/x/sys/unix"

	"github.com/ecsnet/ecsnet/internal/dataplane/elbproxy"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

func sleepMS(n int) { time.Sleep(time.Duration(n) * time.Millisecond) }

func parseAddr(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%q: want an IP address", s)
	}
	return a.Unmap(), nil
}

// listenIn opens a listener inside the namespace at path: the socket
// belongs to the namespace it was created in, whichever thread uses it
// later.
func listenIn(path, network, addr string) (l net.Listener, pc net.PacketConn, err error) {
	err = inNetns(path, func() error {
		var lc net.ListenConfig
		var e error
		if network == "udp" {
			pc, e = lc.ListenPacket(context.Background(), network, addr)
		} else {
			l, e = lc.Listen(context.Background(), network, addr)
		}
		return e
	})
	return l, pc, err
}

// dialIn connects from the namespace at path, binding src and sport
// when given (SO_REUSEADDR, so a probe may reuse the analyzer's client
// port at once).
func dialIn(ctx context.Context, path, network string, src netip.Addr, sport uint16, addr string) (net.Conn, error) {
	var c net.Conn
	err := inNetns(path, func() error {
		d := net.Dialer{}
		if src.IsValid() || sport != 0 {
			var ip net.IP
			if src.IsValid() {
				ip = net.IP(src.AsSlice())
			}
			if network == "udp" {
				d.LocalAddr = &net.UDPAddr{IP: ip, Port: int(sport)}
			} else {
				d.LocalAddr = &net.TCPAddr{IP: ip, Port: int(sport)}
			}
			d.Control = func(_, _ string, rc syscall.RawConn) error {
				var serr error
				rc.Control(func(fd uintptr) { serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEADDR, 1) })
				return serr
			}
		}
		for {
			var e error
			c, e = d.DialContext(ctx, network, addr)
			// A probe reusing a client port may find the previous
			// connection's socket not yet gone: try again shortly.
			if !errors.Is(e, syscall.EADDRNOTAVAIL) || sport == 0 || ctx.Err() != nil {
				return e
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
	return c, err
}

func (s *System) addCloser(c io.Closer) {
	s.mu.Lock()
	s.closers = append(s.closers, c)
	s.mu.Unlock()
}

// startListeners opens every listener of the plan and the load balancer
// nodes, and serves them until Close.
func (s *System) startListeners(ctx context.Context) error {
	if err := s.startResolvers(); err != nil { // dns.go
		return err
	}
	err := parallel(nil, len(s.plan.Listeners), func(_ *nsCache, i int) error {
		return s.listen(i)
	})
	if err != nil {
		return err
	}
	// Load balancer nodes settle their health checks at the same time.
	return parallel(nil, len(s.plan.LoadBalancers), func(_ *nsCache, i int) error {
		node := s.plan.LoadBalancers[i]
		path := filepath.Join(s.opt.NetnsDir, node.NS)
		listen := func(port uint16) (net.Listener, error) {
			ln, _, err := listenIn(path, "tcp", net.JoinHostPort("", strconv.Itoa(int(port))))
			if err == nil {
				s.addCloser(ln)
			}
			return ln, err
		}
		dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
			return dialTimed(ctx, path, network, addr) // dialtimed.go
		}
		c, err := s.opt.LoadBalancer(ctx, s.st, node, listen, dial)
		if err != nil {
			return fmt.Errorf("load balancer node %s: %w", node.NS, err)
		}
		if c != nil {
			s.addCloser(c)
		}
		if f, ok := c.(targetFollower); ok {
			s.mu.Lock()
			s.followers = append(s.followers, f)
			s.mu.Unlock()
		}
		return nil
	})
}

// targetFollower is a load balancer node that follows its target groups'
// targets while the system is up (an ALB node, elbproxy.Retarget).
type targetFollower interface {
	Retarget(st *model.State)
}

// listen opens the plan's listener i and serves it until Close (or
// stopListening).
func (s *System) listen(i int) error {
	l := s.plan.Listeners[i]
	path := filepath.Join(s.opt.NetnsDir, l.NS)
	host := ""
	if l.Addr.IsValid() {
		host = l.Addr.String()
	}
	addr := net.JoinHostPort(host, strconv.Itoa(int(l.Port)))
	var c io.Closer
	var serve func()
	if l.Proto == model.UDP {
		_, pc, err := listenIn(path, "udp", addr)
		if err != nil {
			return fmt.Errorf("%s: listen udp %s: %w", l.NS, addr, err)
		}
		c, serve = pc, func() { serveUDP(pc, l) }
	} else {
		ln, _, err := listenIn(path, "tcp", addr)
		if err != nil {
			return fmt.Errorf("%s: listen tcp %s: %w", l.NS, addr, err)
		}
		ts := &tcpServer{Listener: ln, conns: map[net.Conn]struct{}{}, clock: s.clock}
		if l.TLS {
			cfg, err := s.containerTLS()
			if err != nil {
				ln.Close()
				return fmt.Errorf("%s: %s: %w", l.NS, addr, err)
			}
			ts.tls = cfg
		}
		c, serve = ts, func() { ts.serve(l) }
	}
	s.mu.Lock()
	if s.listening == nil {
		s.listening = map[int]io.Closer{}
	}
	s.listening[i] = c
	s.closers = append(s.closers, c)
	s.mu.Unlock()
	s.wg.Add(1)
	go func() { defer s.wg.Done(); serve() }()
	return nil
}

// stopListening closes the plan's listener i, as if its application
// stopped: a TCP connection to it is then refused, a datagram answered
// with port unreachable. startListening opens it again. Health checks
// see both (the tests of the nodes' periodic checks use them).
func (s *System) stopListening(i int) error {
	s.mu.Lock()
	c := s.listening[i]
	delete(s.listening, i)
	s.mu.Unlock()
	if c == nil {
		return fmt.Errorf("listener %d is not open", i)
	}
	return c.Close()
}

// startListening opens the plan's listener i again after stopListening.
func (s *System) startListening(i int) error {
	s.mu.Lock()
	_, open := s.listening[i]
	s.mu.Unlock()
	if open {
		return fmt.Errorf("listener %d is open", i)
	}
	return s.listen(i)
}

// tcpServer is a TCP listener and the connections it accepted: Close
// closes them all, as a stopped application's connections end with it.
type tcpServer struct {
	net.Listener
	// tls, when not nil, is the configuration of a container that speaks
	// TLS (Listener.TLS).
	tls *tls.Config
	// clock makes the listener answer slow paths late (slow.go).
	clock  *responseClock
	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
}

// serve answers each connection with the listener's identity: an HTTP
// response when the client speaks HTTP (the status the container serves
// for the path), else one line. sshd speaks first, as SSH does.
func (ts *tcpServer) serve(l Listener) {
	for {
		c, err := ts.Accept()
		if err != nil {
			return
		}
		ts.mu.Lock()
		if ts.closed {
			ts.mu.Unlock()
			c.Close()
			return
		}
		ts.conns[c] = struct{}{}
		ts.mu.Unlock()
		go func() {
			answer(c, l, ts.tls, ts.clock)
			ts.mu.Lock()
			delete(ts.conns, c)
			ts.mu.Unlock()
		}()
	}
}

func (ts *tcpServer) Close() error {
	ts.mu.Lock()
	ts.closed = true
	for c := range ts.conns {
		c.Close()
	}
	ts.mu.Unlock()
	return ts.Listener.Close()
}

func answer(c net.Conn, l Listener, tlsConfig *tls.Config, clock *responseClock) {
	defer c.Close()
	if l.Kind == "sshd" {
		fmt.Fprintf(c, "SSH-2.0-ecsnet %s\r\n", l.Identity)
		return
	}
	if l.Kind == "imds" {
		answerIMDS(c, l) // imds.go
		return
	}
	c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	br := bufio.NewReader(c)
	head, err := br.Peek(4)
	if err == nil && tlsConfig != nil {
		if head[0] != tlsHandshake {
			// A server that speaks TLS answers a plain HTTP request 400,
			// as nginx's "The plain HTTP request was sent to HTTPS port"
			// (the analyzer's ECS_TARGET_TLS_MISMATCH).
			if looksHTTP(head) {
				body := "The plain HTTP request was sent to HTTPS port\n"
				fmt.Fprintf(c, "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
			}
			return
		}
		tc := tls.Server(peekedConn{c, br}, tlsConfig)
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if tc.Handshake() != nil {
			return
		}
		if tc.ConnectionState().NegotiatedProtocol == "h2" {
			c.SetReadDeadline(time.Time{})
			answerH2(tc, l, clock)
			return
		}
		c, br = tc, bufio.NewReader(tc)
		c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		head, err = br.Peek(4)
	}
	if err == nil && string(head) == "PRI " {
		// HTTP/2 with prior knowledge (h2c): a load balancer's target
		// group of protocol version HTTP2 or GRPC over HTTP.
		c.SetReadDeadline(time.Time{})
		answerH2(peekedConn{c, br}, l, clock)
		return
	}
	if err != nil || !looksHTTP(head) {
		fmt.Fprintf(c, "%s\n", l.Identity)
		return
	}
	for {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		io.Copy(io.Discard, req.Body)
		if d := clock.wait(l, req); d > 0 {
			// The application takes its time (ResponseSeconds): no
			// byte before the answer.
			c.SetReadDeadline(time.Time{})
			time.Sleep(d)
		}
		status := reach.ServedStatus(l.Serves, req.URL.RequestURI())
		if !model.HostAllowed(l.AllowedHosts, req.Host) {
			status = reach.StatusHostNotAllowed
		}
		body := l.Identity + "\n"
		fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", status, http.StatusText(status), len(body), body)
		if req.Close {
			return
		}
	}
}

// answerH2 answers HTTP/2 requests on c as answer answers HTTP/1.1 ones:
// the status the listener serves the path with (400 for a Host it does
// not allow) and its identity.
func answerH2(c net.Conn, l Listener, clock *responseClock) {
	srv := &http2.Server{IdleTimeout: 5 * time.Second}
	srv.ServeConn(c, &http2.ServeConnOpts{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if d := clock.wait(l, r); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		status := reach.ServedStatus(l.Serves, r.URL.RequestURI())
		if !model.HostAllowed(l.AllowedHosts, r.Host) {
			status = reach.StatusHostNotAllowed
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(status)
		io.WriteString(w, l.Identity+"\n")
	})})
}

// tlsHandshake is the first byte of a TLS record holding a handshake
// message (a ClientHello first).
const tlsHandshake = 0x16

// peekedConn is a connection whose first bytes a bufio.Reader already
// read: reads come from the reader.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (p peekedConn) Read(b []byte) (int, error) { return p.r.Read(b) }

// containerTLS returns the TLS configuration of the containers that
// speak TLS: one self-signed certificate for the system, made on first
// use (ELB does not validate its targets' certificates).
func (s *System) containerTLS() (*tls.Config, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.containerCert == nil {
		c, err := elbproxy.SelfSigned("container.ecsnet.internal")
		if err != nil {
			return nil, err
		}
		s.containerCert = &c
	}
	return &tls.Config{Certificates: []tls.Certificate{*s.containerCert}, NextProtos: []string{"h2", "http/1.1"}, MinVersion: tls.VersionTLS12}, nil
}

func looksHTTP(b []byte) bool {
	for _, m := range []string{"GET ", "POST", "HEAD", "PUT ", "DELE", "OPTI", "PATC", "CONN", "TRAC"} {
		if string(b) == m {
			return true
		}
	}
	return false
}

func serveUDP(pc net.PacketConn, l Listener) {
	buf := make([]byte, 2048)
	uc, ok := pc.(*net.UDPConn)
	if !ok || setPktInfo(uc) != nil {
		for {
			_, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo([]byte(l.Identity+"\n"), from)
		}
	}
	// Answer from the address the datagram was sent to (IP_PKTINFO), as
	// a server on that address does: a socket on 0.0.0.0 would otherwise
	// answer from the address its route prefers, which the client (and
	// conntrack, for a redirected datagram) does not recognise.
	oob := make([]byte, 256)
	for {
		_, oobn, _, from, err := uc.ReadMsgUDPAddrPort(buf, oob)
		if err != nil {
			return
		}
		var reply []byte
		if msgs, err := unix.ParseSocketControlMessage(oob[:oobn]); err == nil {
			for _, m := range msgs {
				if m.Header.Level == unix.IPPROTO_IP && m.Header.Type == unix.IP_PKTINFO && len(m.Data) >= unix.SizeofInet4Pktinfo {
					info := *(*unix.Inet4Pktinfo)(unsafe.Pointer(&m.Data[0]))
					reply = unix.PktInfo4(&unix.Inet4Pktinfo{Spec_dst: info.Addr})
				}
				if m.Header.Level == unix.IPPROTO_IPV6 && m.Header.Type == unix.IPV6_PKTINFO && len(m.Data) >= unix.SizeofInet6Pktinfo {
					info := *(*unix.Inet6Pktinfo)(unsafe.Pointer(&m.Data[0]))
					reply = unix.PktInfo6(&unix.Inet6Pktinfo{Addr: info.Addr})
				}
			}
		}
		uc.WriteMsgUDPAddrPort([]byte(l.Identity+"\n"), reply, from)
	}
}

// setPktInfo asks the kernel for each datagram's destination address.
func setPktInfo(uc *net.UDPConn) error {
	rc, err := uc.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_PKTINFO, 1)
		if serr == nil {
			// An IPv6 socket (dual-stack, on [::]) also reports the
			// destination of IPv6 datagrams; an IPv4 one refuses.
			unix.SetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_RECVPKTINFO, 1)
		}
	}); err != nil {
		return err
	}
	return serr
}

// Outcome is what a real connection experienced, in the analyzer's
// vocabulary.
type Outcome struct {
	Verdict reach.Verdict `json:"verdict"`
	Detail  string        `json:"detail"`
}

// HTTPRequest is one HTTP request to a load balancer or a task.
type HTTPRequest struct {
	// To is the address to connect to; Host the Host header (default:
	// To's address). When To is zero, Host is resolved with the system's
	// hosts (load balancer DNS names) and Port (80 by default) used.
	To     netip.AddrPort
	Host   string
	Port   uint16
	Method string // GET by default
	Path   string // "/" by default
	Header map[string]string
	// ClientPort is the client's source port (0: the kernel's choice).
	ClientPort uint16
	// TLS sends the request over TLS (HTTPS) without validating the
	// server's certificate, as `curl -k`: the data plane's HTTPS
	// listeners hold self-signed certificates.
	TLS bool
	// Requests, above 1, sends as many requests one after another on one
	// connection (keep-alive) and answers the worst: one per target group
	// of a weighted forward action, which the data plane's load balancer
	// meets in turn on a connection (requestsInTurn).
	Requests int
	// HTTPVersion: HTTP/2 or gRPC (a POST of content-type
	// application/grpc over HTTP/2) is offered by ALPN over TLS, falling
	// back to HTTP/1.1 when the server does not take it; a plain HTTP
	// request is HTTP/1.1 (as a client whose h2c upgrade an ALB ignores).
	HTTPVersion reach.HTTPVersion
}

func (s *System) ctx(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, s.opt.Timeout)
}

// source resolves a node spec for a connection: its namespace path and
// source address; an internet client address it has not yet is added.
func (s *System) source(from string) (string, netip.Addr, error) {
	return s.sourceTo(from, netip.Addr{})
}

// sourceTo is source for a connection to an address: a node's address
// of the other family gives way to one of the destination's (the
// internet's IPv6 client 2001:db8::7, an ENI's first IPv6 address) or to
// the kernel's choice.
func (s *System) sourceTo(from string, to netip.Addr) (string, netip.Addr, error) {
	path, src, err := s.node(from)
	if err != nil {
		return "", src, err
	}
	if to.IsValid() && src.IsValid() && to.Is6() != src.Is6() {
		switch {
		case path == filepath.Join(s.opt.NetnsDir, s.plan.Nodes["internet"]) && to.Is6():
			src = internetClientV6
		case path == filepath.Join(s.opt.NetnsDir, s.plan.Nodes["internet"]):
			src = internetClient
		default:
			orig := src
			src = netip.Addr{}
			if to.Is6() && s.st != nil {
				for _, e := range s.st.NetworkInterfaces {
					if e.HasAddr(orig) {
						src, _ = e.PrimaryIPv6()
					}
				}
			}
		}
	}
	if src.IsValid() && path == filepath.Join(s.opt.NetnsDir, s.plan.Nodes["internet"]) && src != internetClient && src != internetClientV6 {
		if err := addInternetAddr(path, src); err != nil {
			return "", src, err
		}
	}
	return path, src, nil
}

func addInternetAddr(path string, a netip.Addr) error {
	fd, err := netns.GetFromPath(path)
	if err != nil {
		return err
	}
	defer fd.Close()
	h, err := netlink.NewHandleAt(fd, unix.NETLINK_ROUTE)
	if err != nil {
		return err
	}
	defer h.Close()
	l, err := h.LinkByName("world")
	if err != nil {
		return err
	}
	na := &netlink.Addr{IPNet: ipnet(netip.PrefixFrom(a, a.BitLen()))}
	if a.Is6() {
		na.Flags = unix.IFA_F_NODAD
	}
	err = h.AddrAdd(l, na)
	if errors.Is(err, unix.EEXIST) {
		return nil
	}
	return err
}

// Connect makes one real connection from a node (a spec as reach.Resolve
// reads it) to an address: a TCP handshake, or a UDP datagram and its
// answer.
func (s *System) Connect(ctx context.Context, from string, to netip.AddrPort, proto model.Protocol) Outcome {
	return s.Dial(ctx, from, 0, to, proto)
}

// Dial is Connect from a given client port (0: the kernel's choice):
// network ACLs see the port replies go back to, so a probe that checks
// the ephemeral port trap uses the analyzer's client port.
func (s *System) Dial(ctx context.Context, from string, sport uint16, to netip.AddrPort, proto model.Protocol) Outcome {
	if proto == model.ICMP {
		return s.Ping(ctx, from, to.Addr())
	}
	path, src, err := s.sourceTo(from, to.Addr())
	if err != nil {
		return Outcome{Verdict: reach.Unknown, Detail: err.Error()}
	}
	ctx, cancel := s.ctx(ctx)
	defer cancel()
	network := "tcp"
	if proto == model.UDP {
		network = "udp"
	}
	c, err := dialIn(ctx, path, network, src, sport, to.String())
	if err != nil {
		return errOutcome(err)
	}
	defer c.Close()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0) // a reset, not TIME_WAIT: the client port is free again at once
	}
	if network == "tcp" {
		if err := acknowledged(ctx, c.(*net.TCPConn)); err != nil {
			return errOutcome(err)
		}
		return Outcome{Verdict: reach.Connected, Detail: "connected from " + c.LocalAddr().String()}
	}
	dl, _ := ctx.Deadline()
	c.SetDeadline(dl)
	if _, err := c.Write([]byte("ecsnet\n")); err != nil {
		return errOutcome(err)
	}
	buf := make([]byte, 512)
	n, err := c.Read(buf)
	if err != nil {
		return errOutcome(err)
	}
	return Outcome{Verdict: reach.Connected, Detail: strings.TrimSpace(string(buf[:n]))}
}

// acknowledged sends one byte on c and waits until the server's TCP
// acknowledges it, or closes or resets the connection: a handshake whose
// last segment never reached the server (a stateful firewall or
// appliance that saw the SYN but not the SYN-ACK drops the rest of the
// flow, AWS Network Firewall's default stream exception policy) looks
// connected to the client, and only data that is never acknowledged tells
// it the flow is broken, as it tells an application that then times out.
func acknowledged(ctx context.Context, c *net.TCPConn) error {
	if _, err := c.Write([]byte{'\n'}); err != nil {
		return err
	}
	rc, err := c.SyscallConn()
	if err != nil {
		return err
	}
	for {
		var info *unix.TCPInfo
		var ierr error
		if err := rc.Control(func(fd uintptr) {
			info, ierr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
		}); err != nil {
			return err
		}
		if ierr != nil {
			return ierr
		}
		if info.Unacked == 0 || info.State != unix.BPF_TCP_ESTABLISHED {
			return nil // acknowledged, or the server closed or reset it: it got the handshake
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// DialProxied connects to a Classic Load Balancer's TCP listener and
// waits for the instance's first line through the node's TCP proxy: the
// node completes every client's handshake itself, so what the client
// experiences is what comes after it. A line is connected (the instance
// answered), a reset refused (no InService instance, or the instance
// refused the node), silence a timeout (the instance dropped the node's
// connection). With overTLS (a Classic SSL listener) the client first
// completes a TLS handshake with the node, not validating its
// certificate (as `openssl s_client`).
func (s *System) DialProxied(ctx context.Context, from string, sport uint16, to netip.AddrPort, overTLS bool) Outcome {
	path, src, err := s.sourceTo(from, to.Addr())
	if err != nil {
		return Outcome{Verdict: reach.Unknown, Detail: err.Error()}
	}
	ctx, cancel := s.httpCtx(ctx) // the node's connect timeout, as for HTTP
	defer cancel()
	c, err := dialIn(ctx, path, "tcp", src, sport, to.String())
	if err != nil {
		return errOutcome(err)
	}
	defer c.Close()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	dl, _ := ctx.Deadline()
	c.SetDeadline(dl)
	if overTLS {
		tc := tls.Client(c, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // the node's self-signed certificate
		if err := tc.HandshakeContext(ctx); err != nil {
			return proxiedOutcome(err)
		}
		c = tc
	}
	// The instance's listener answers a line to anything that is not HTTP.
	if _, err := c.Write([]byte("ecsnet\n")); err != nil {
		return proxiedOutcome(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if errors.Is(err, io.EOF) && line == "" {
		// The node closes a connection of its own with a reset (no
		// InService instance, an instance that refused) and keeps a
		// silent one's silent: an end of stream is the instance's, which
		// took the connection and closed it, as a server of another
		// protocol does with a line it cannot read (a TLS server's
		// handshake, behind a TCP listener). The analyzer's connected.
		return Outcome{Verdict: reach.Connected, Detail: "through the load balancer: the instance closed the connection without a line"}
	}
	if err != nil && line == "" {
		return proxiedOutcome(err)
	}
	return Outcome{Verdict: reach.Connected, Detail: "through the load balancer: " + strings.TrimSpace(line)}
}

func proxiedOutcome(err error) Outcome {
	switch {
	case errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNRESET):
		return Outcome{Verdict: reach.Refused, Detail: "the load balancer reset the connection"}
	case errors.Is(err, io.EOF):
		return Outcome{Verdict: reach.Unknown, Detail: "the load balancer closed the connection without an answer"}
	}
	return errOutcome(err)
}

func errOutcome(err error) Outcome {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return Outcome{Verdict: reach.Refused, Detail: "connection refused"}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return Outcome{Verdict: reach.Timeout, Detail: "i/o timeout"}
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return Outcome{Verdict: reach.NoRoute, Detail: err.Error()}
	case errors.Is(err, syscall.EINVAL):
		// A blackhole route (Fargate's to IMDS, imds.go): the connect
		// fails at once, "invalid argument".
		return Outcome{Verdict: reach.NoRoute, Detail: err.Error()}
	case errors.Is(err, syscall.ECONNRESET):
		return Outcome{Verdict: reach.Refused, Detail: "connection reset"}
	}
	return Outcome{Verdict: reach.Unknown, Detail: err.Error()}
}

// HTTP sends one HTTP request from a node (req.Requests: several on one
// connection): the response's status as an HTTP verdict, or what failed
// at the connection level.
func (s *System) HTTP(ctx context.Context, from string, req HTTPRequest) Outcome {
	to := req.To
	host := req.Host
	if !to.IsValid() {
		port := req.Port
		if port == 0 {
			port = 80
		}
		a, ok := s.lookupHost(host)
		if !ok {
			return Outcome{Verdict: reach.Unknown, Detail: "cannot resolve " + host}
		}
		to = netip.AddrPortFrom(a, port)
	}
	path, src, err := s.sourceTo(from, to.Addr())
	if err != nil {
		return Outcome{Verdict: reach.Unknown, Detail: err.Error()}
	}
	if host == "" {
		host = to.Addr().String()
	}
	method, p := req.Method, req.Path
	if method == "" {
		method = http.MethodGet
	}
	if p == "" {
		p = "/"
	}
	var conns []net.Conn
	var mu sync.Mutex
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			c, err := dialIn(ctx, path, network, src, req.ClientPort, to.String())
			if tc, ok := c.(*net.TCPConn); ok {
				tc.SetLinger(0)
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
			}
			return c, err
		},
		DisableKeepAlives: req.Requests < 2,
		MaxConnsPerHost:   1,
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // self-signed listeners, as curl -k
	}
	if req.HTTPVersion != reach.HTTPVersion1 {
		tr.ForceAttemptHTTP2 = true
		if req.HTTPVersion == reach.HTTPVersionGRPC && req.Method == "" {
			method = http.MethodPost
		}
	}
	scheme := "http://"
	if req.TLS {
		scheme = "https://"
	}
	// Close the connection before returning (a reset, no TIME_WAIT), so
	// the next probe may use the same client port at once.
	defer func() {
		tr.CloseIdleConnections()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func() (Outcome, bool) {
		ctx, cancel := s.httpCtx(ctx) // lbtime.go
		defer cancel()
		r, err := http.NewRequestWithContext(ctx, method, scheme+host+p, nil)
		if err != nil {
			return Outcome{Verdict: reach.Unknown, Detail: err.Error()}, false
		}
		if req.HTTPVersion == reach.HTTPVersionGRPC {
			r.Header.Set("Content-Type", "application/grpc")
			r.Header.Set("Te", "trailers")
		}
		for k, v := range req.Header {
			r.Header.Set(k, v)
		}
		resp, err := client.Do(r)
		if err != nil {
			return errOutcome(err), false
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return Outcome{Verdict: reach.HTTPVerdict(resp.StatusCode), Detail: resp.Status}, !resp.Close
	}
	if req.Requests < 2 {
		out, _ := do()
		return out
	}
	return requestsInTurn(req.Requests, do)
}

// requestsInTurn sends n requests one after another on one connection
// (do reports whether the connection stays open) and answers as the
// analyzer does for a weighted forward's target groups, which the load
// balancer meets in turn on one connection (elbproxy's Deterministic):
// the first request that fails (the heaviest group whose requests fail),
// else the first. A connection that ends before the n-th request leaves
// the groups after it unasked: unknown, unless one asked already failed.
func requestsInTurn(n int, do func() (Outcome, bool)) Outcome {
	var said []string
	var worst *Outcome
	for i := range n {
		out, open := do()
		said = append(said, fmt.Sprintf("request %d: %s", i+1, out.Detail))
		if worst == nil || worst.Verdict.Reachable() && !out.Verdict.Reachable() {
			worst = &out
		}
		if i < n-1 && !open {
			if worst.Verdict.Reachable() {
				return Outcome{Verdict: reach.Unknown, Detail: fmt.Sprintf("the connection ended after request %d of %d (%s): the weighted forward's other target groups were not asked", i+1, n, strings.Join(said, "; "))}
			}
			break
		}
	}
	return Outcome{Verdict: worst.Verdict, Detail: worst.Detail + " (" + strconv.Itoa(n) + " requests on one connection, one per target group of the weighted forward, heaviest first: " + strings.Join(said, "; ") + ")"}
}

func (s *System) lookupHost(name string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(name); err == nil {
		return a, true
	}
	for _, h := range s.plan.Hosts {
		if strings.EqualFold(h.Name, name) {
			return h.Addr, true
		}
	}
	return netip.Addr{}, false
}

// Exec runs argv inside a node's namespace, with the system's hosts file
// as /etc/hosts (in a private mount namespace, as `ip netns exec` does
// with /etc/netns/NAME/hosts), and waits for it.
func (s *System) Exec(ctx context.Context, node string, argv []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(argv) == 0 {
		return errors.New("exec: no command")
	}
	path, _, err := s.node(node)
	if err != nil {
		return err
	}
	bin, err := exec.LookPath(argv[0])
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	hosts := filepath.Join(s.opt.dir(), hostsFile)
	// The thread is left in the command's namespaces and never reused.
	err = inThread(func() (func() error, error) {
		if err := EnterNode(path, hosts); err != nil {
			return nil, err
		}
		return nil, cmd.Start()
	})
	if err != nil {
		return err
	}
	return cmd.Wait()
}

// EnterNode moves the calling, locked thread into a private mount
// namespace where hosts (when it exists) is /etc/hosts and the node's
// resolv.conf (resolv/NAMESPACE.conf beside hosts, when it exists)
// /etc/resolv.conf, then into the
// network namespace at path. The thread must not be reused afterwards.
func EnterNode(path, hosts string) error {
	if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
		return fmt.Errorf("unshare mount namespace: %w", err)
	}
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make mounts private: %w", err)
	}
	if _, err := os.Stat(hosts); err == nil {
		if err := unix.Mount(hosts, "/etc/hosts", "", unix.MS_BIND, ""); err != nil {
			return fmt.Errorf("bind %s on /etc/hosts: %w", hosts, err)
		}
	}
	// The node's DNS servers (its VPC's Route 53 Resolver), written by Up
	// beside the hosts file.
	if rc := filepath.Join(filepath.Dir(hosts), resolvDir, filepath.Base(path)+".conf"); fileExists(rc) && fileExists("/etc/resolv.conf") {
		if err := unix.Mount(rc, "/etc/resolv.conf", "", unix.MS_BIND, ""); err != nil {
			return fmt.Errorf("bind %s on /etc/resolv.conf: %w", rc, err)
		}
	}
	target, err := netns.GetFromPath(path)
	if err != nil {
		return err
	}
	defer target.Close()
	return netns.Set(target)
}

// NodeNamespace returns the namespace file of a node, for the CLI's exec.
func (s *System) NodeNamespace(node string) (string, error) {
	p, _, err := s.node(node)
	return p, err
}

// HostsPath returns the system's hosts file.
func (s *System) HostsPath() string { return filepath.Join(s.opt.dir(), hostsFile) }
