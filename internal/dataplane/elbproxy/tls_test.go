package elbproxy

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// An ALB's HTTPS listener ends TLS with the node's generated certificate
// (the load balancer's DNS name) and forwards the request as HTTP, with
// X-Forwarded-Proto https and the listener's port; a plain HTTP request
// on the port is answered 400 by the node ("The plain HTTP request was
// sent to HTTPS port").
func TestHTTPSListener(t *testing.T) {
	a := startApp(t, "127.0.0.2", "a", nil)
	st := albState(forward("tg"), nil, httpTG("tg", a.addr))
	st.Listeners[lnARN].Port, st.Listeners[lnARN].Protocol = 443, "HTTPS"
	p, err := New(st, lbARN, Options{TimeScale: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- p.Serve(ln, 443) }()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	var names []string
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
		InsecureSkipVerify: true, //nolint:gosec // the node's certificate is self-signed
		VerifyConnection: func(cs tls.ConnectionState) error {
			names = append(names, cs.PeerCertificates[0].DNSNames...)
			return nil
		}}}}
	resp, err := client.Get("https://" + ln.Addr().String() + "/x")
	if err != nil {
		select {
		case e := <-served:
			t.Fatalf("%v (Serve: %v)", err, e)
		default:
			t.Fatal(err)
		}
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "proto=https port=443") {
		t.Errorf("%d %q, want a's 200 with X-Forwarded-Proto https and port 443", resp.StatusCode, body)
	}
	if len(names) != 1 || names[0] != st.LoadBalancers[lbARN].DNSName {
		t.Errorf("certificate names %v, want the load balancer's DNS name", names)
	}
	plain := &http.Client{Timeout: 5 * time.Second}
	resp, err = plain.Get("http://" + ln.Addr().String() + "/x")
	if err != nil {
		t.Fatalf("plain HTTP on the HTTPS listener: %v, want ELB's 400", err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || resp.Header.Get("Server") != Server || !strings.Contains(string(body), "The plain HTTP request was sent to HTTPS port") {
		t.Errorf("plain HTTP on the HTTPS listener: %d %v %q, want ELB's 400 page", resp.StatusCode, resp.Header, body)
	}
	n := 0
	for _, r := range a.requests() {
		if r.URL.Path == "/x" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the target got %d requests, want 1 (the plain HTTP one is answered by the node)", n)
	}
}

// An ALB's HTTPS listener negotiates HTTP/2 with its clients by ALPN
// (unless routing.http2.enabled is false) and speaks HTTP/1.1 to a target
// group of protocol version HTTP1, HTTP/2 to one of HTTP2; a gRPC call
// for a group of HTTP1 is answered 464.
func TestHTTPSListenerHTTP2(t *testing.T) {
	var mu sync.Mutex
	protos := map[string]int{}
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Protocols: new(http.Protocols), Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		protos[r.URL.Path+" "+r.Proto]++
		mu.Unlock()
	})}
	srv.Protocols.SetHTTP1(true)
	srv.Protocols.SetUnencryptedHTTP2(true)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	target := ln.Addr().(*net.TCPAddr).AddrPort()
	h1, h2 := httpTG("h1", target), httpTG("h2", target)
	h2.ProtocolVersion = "HTTP2"
	st := albState(forward("h1"), []*model.ListenerRule{{Priority: 1, Conditions: []model.RuleCondition{{Field: "path-pattern", Values: []string{"/two"}}},
		Actions: []model.ListenerAction{forward("h2")}}}, h1, h2)
	st.Listeners[lnARN].Port, st.Listeners[lnARN].Protocol = 443, "HTTPS"
	serve := func(attrs map[string]string) string {
		st.LoadBalancers[lbARN].Attributes = attrs
		p, err := New(st, lbARN, Options{TimeScale: 0.01})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go p.Serve(l, 443)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := p.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		return "https://" + l.Addr().String()
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{ForceAttemptHTTP2: true,
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec // self-signed
	do := func(method, url, ctype string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, url, nil)
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	base := serve(nil)
	if r := do("GET", base+"/one", ""); r.StatusCode != 200 || r.ProtoMajor != 2 {
		t.Errorf("/one: %d %s, want 200 over HTTP/2", r.StatusCode, r.Proto)
	}
	if r := do("GET", base+"/two", ""); r.StatusCode != 200 || r.ProtoMajor != 2 {
		t.Errorf("/two: %d %s, want 200 over HTTP/2", r.StatusCode, r.Proto)
	}
	if r := do("POST", base+"/one", "application/grpc"); r.StatusCode != 464 {
		t.Errorf("gRPC for a group of HTTP1: %d, want 464", r.StatusCode)
	}
	mu.Lock()
	if protos["/one HTTP/1.1"] != 1 || protos["/two HTTP/2.0"] != 1 {
		t.Errorf("the target got %v, want /one over HTTP/1.1 (group HTTP1) and /two over HTTP/2 (group HTTP2)", protos)
	}
	mu.Unlock()
	off := serve(map[string]string{"routing.http2.enabled": "false"})
	if r := do("GET", off+"/one", ""); r.StatusCode != 200 || r.ProtoMajor != 1 {
		t.Errorf("routing.http2.enabled false: %d %s, want 200 over HTTP/1.1", r.StatusCode, r.Proto)
	}
	if r := do("GET", off+"/two", ""); r.StatusCode != 464 {
		t.Errorf("routing.http2.enabled false, group HTTP2: %d, want 464", r.StatusCode)
	}
}
