package elbproxy

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
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
