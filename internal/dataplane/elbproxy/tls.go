package elbproxy

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/net/http2"
)

// SelfSigned returns a certificate for name, self-signed and kept in
// memory: an HTTPS listener's stand-in for its ACM or IAM certificate.
// Clients of the data plane do not validate it (as `curl -k`), and ELB
// does not validate its targets' certificates either.
func SelfSigned(name string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// tlsConfig returns the node's TLS configuration for its HTTPS
// listeners, generating its certificate on first use.
func (p *LoadBalancer) tlsConfig() (*tls.Config, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cert == nil {
		name := p.lb.DNSName
		if name == "" {
			name = p.lb.Name
		}
		c, err := SelfSigned(name)
		if err != nil {
			return nil, err
		}
		p.cert = &c
	}
	// An ALB offers HTTP/2 by ALPN unless routing.http2.enabled is
	// false; a Classic Load Balancer speaks HTTP/1.1 only.
	protos := []string{"http/1.1"}
	if !p.classic && p.lb.Attributes["routing.http2.enabled"] != "false" {
		protos = []string{"h2", "http/1.1"}
	}
	return &tls.Config{Certificates: []tls.Certificate{*p.cert}, NextProtos: protos, MinVersion: tls.VersionTLS12}, nil
}

// tlsRecordHandshake is the content type of a TLS record that carries a
// handshake message: the first byte a TLS client sends (RFC 8446 §5.1).
const tlsRecordHandshake = 0x16

// PlainHTTPToHTTPSPage is the body an HTTPS listener answers a plain
// HTTP request with (400; AWS re:Post, "400 Bad Request" errors of API
// Gateway private integrations to a load balancer's HTTPS listener).
const PlainHTTPToHTTPSPage = "<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n" +
	"<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n</body>\r\n</html>\r\n"

// serveTLS serves one client of an HTTPS listener: a TLS handshake with
// the node's certificate, then serve over it. A client whose first byte
// is no TLS handshake record sent plain HTTP: an HTTPS listener answers
// its request 400 ("The plain HTTP request was sent to HTTPS port") and
// closes the connection; a Classic SSL listener resets it.
func (p *LoadBalancer) serveTLS(c net.Conn, l *listener, cfg *tls.Config, serve func(net.Conn, *listener)) {
	c.SetReadDeadline(time.Now().Add(p.opt.IdleTimeout))
	br := bufio.NewReader(c)
	first, err := br.Peek(1)
	c.SetReadDeadline(time.Time{})
	if err != nil {
		return
	}
	sniffed := &sniffedConn{Conn: c, r: br}
	if first[0] == tlsRecordHandshake {
		tc := tls.Server(sniffed, cfg)
		ctx, cancel := context.WithTimeout(p.ctx, p.opt.IdleTimeout)
		err := tc.HandshakeContext(ctx)
		cancel()
		if err != nil {
			return
		}
		if tc.ConnectionState().NegotiatedProtocol == "h2" {
			p.serveH2(tc, l)
			return
		}
		serve(tc, l)
		return
	}
	if l.l.Protocol == "SSL" {
		resetConn(c) // a TCP listener behind TLS: no HTTP answer [choice]
		return
	}
	c.SetReadDeadline(time.Now().Add(p.opt.IdleTimeout))
	req, err := http.ReadRequest(br)
	c.SetReadDeadline(time.Time{})
	resp := elbResponse(req, http.StatusBadRequest, "text/html", PlainHTTPToHTTPSPage, nil)
	if err != nil {
		resp.Request = nil
	}
	resp.Close = true
	bw := bufio.NewWriter(c)
	resp.Write(bw)
	bw.Flush()
}

// sniffedConn is a connection whose first bytes were read ahead into r.
type sniffedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *sniffedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// NetConn is the connection underneath (resetConn resets it).
func (c *sniffedConn) NetConn() net.Conn { return c.Conn }

// serveH2 serves one HTTP/2 client of an HTTPS listener (ALPN h2): each
// request is answered as an HTTP/1.1 one is (Handle), the request's
// protocol deciding 464 against the target group's protocol version.
func (p *LoadBalancer) serveH2(c net.Conn, l *listener) {
	client := addrPort(c.RemoteAddr())
	srv := &http2.Server{IdleTimeout: p.opt.IdleTimeout}
	// The connection's requests are numbered in the order their streams
	// reach the handler (a client that waits for each answer before the
	// next sends them in turn; forwardGroup).
	var turns atomic.Int64
	srv.ServeConn(c, &http2.ServeConnOpts{Context: p.ctx, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp := p.handle(r, client, l.l.Port, int(turns.Add(1)-1))
		defer resp.Body.Close()
		removeHopByHop(resp.Header)
		h := w.Header()
		for k, v := range resp.Header {
			h[k] = v
		}
		h.Del("Content-Length") // framed by HTTP/2
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
		for k, vs := range resp.Trailer {
			for _, v := range vs {
				h.Add(http.TrailerPrefix+k, v)
			}
		}
	})})
}
