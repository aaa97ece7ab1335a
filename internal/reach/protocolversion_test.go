package reach

import (
	"testing"
)

// TestALBProtocolVersion: the ALB troubleshooting guide's three 464 cases
// on HTTPS listeners, by the client's protocol (Query.HTTPVersion) and the
// target group's protocol version; a client that speaks what the group
// takes gets through, and a load balancer with HTTP/2 off speaks HTTP/1.1
// with every client.
func TestALBProtocolVersion(t *testing.T) {
	n := compileEngine(build(t, "testdata/alb-protocol-version.yaml"))
	cases := []struct {
		to      string
		version HTTPVersion
		method  string
		want    Verdict
	}{
		{"api-alb:443", HTTPVersion1, "", HTTPVerdict(464)},         // HTTP/1.1 → HTTP2
		{"api-alb:443", HTTPVersion1, "", HTTPVerdict(464)},         // HTTP/1.1 → HTTP2
		{"api-alb:443", HTTPVersion2, "", HTTP200},                  // HTTP/2 → HTTP2
		{"api-alb:443", HTTPVersionGRPC, "", HTTP200},               // gRPC → HTTP2
		{"api-alb:8443", HTTPVersion1, "", HTTPVerdict(464)},        // HTTP/1.1 → GRPC
		{"api-alb:8443", HTTPVersion2, "", HTTPVerdict(464)},        // HTTP/2 GET → GRPC
		{"api-alb:8443", HTTPVersion2, "POST", HTTP200},             // HTTP/2 POST → GRPC
		{"api-alb:8443", HTTPVersionGRPC, "", HTTP200},              // gRPC → GRPC
		{"api-alb:9443", HTTPVersion1, "", HTTP200},                 // HTTP/1.1 → HTTP1
		{"api-alb:9443", HTTPVersion2, "", HTTP200},                 // HTTP/2 → HTTP1
		{"api-alb:9443", HTTPVersionGRPC, "", HTTPVerdict(464)},     // gRPC → HTTP1
		{"noh2-alb:443", HTTPVersion2, "", HTTPVerdict(464)},        // HTTP/2 off: HTTP/1.1 → HTTP2
		{"noh2-alb:443", HTTPVersionGRPC, "POST", HTTPVerdict(464)}, // HTTP/2 off
	}
	for _, c := range cases {
		q, err := NewQuery(n, "internet", c.to, "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.HTTPVersion, q.HTTPMethod = c.version, c.method
		r := Probe(n, q)
		if r.Verdict != c.want {
			t.Errorf("%s %d %s: %s (%s), want %s", c.to, c.version, c.method, r.Verdict, r.Summary, c.want)
			continue
		}
		if c.want == HTTPVerdict(464) {
			check(t, r, c.want, CodeLBProtocolVersionMismatch)
		}
	}
}
