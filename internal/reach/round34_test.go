package reach

import (
	"strings"
	"testing"
)

// An API Gateway API's default invoke name from a VPC whose execute-api
// endpoint has private DNS goes to the endpoint, which answers a public
// API's call with 403; private DNS off, the name goes out through the NAT
// gateway; other names are not the endpoint's.
func TestAPIGatewayInvokeNameThroughEndpoint(t *testing.T) {
	const story = "examples/failures/analyzer-only/apigw-execute-api-private-dns-public-api.yaml"
	const invoke = "abcd1234.execute-api.us-east-1.amazonaws.com:443"
	probeOf := func(n *Network, to string) *Result {
		q, err := NewQuery(n, "worker/0", to, "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return Probe(n, q)
	}
	t.Run("private DNS on", func(t *testing.T) {
		r := probeOf(compileEngine(storyEngine(t, story)), invoke)
		if r.Verdict != HTTPVerdict(403) || !r.HasCode(CodeAPIGatewayPublicThroughEndpoint) {
			t.Fatalf("verdict %s, codes %+v: want http 403 with %s", r.Verdict, r.Explanations, CodeAPIGatewayPublicThroughEndpoint)
		}
		x := r.Blocking()[0]
		if x.Component == nil || x.Component.Name != "execute-api" || !strings.Contains(x.Message, "*.execute-api.us-east-1.amazonaws.com") {
			t.Errorf("explanation %+v: want the endpoint execute-api and its private DNS name", x)
		}
	})
	t.Run("private DNS off", func(t *testing.T) {
		n := compileEngine(storyEngine(t, story, "security_groups: [endpoints-sg]}", "security_groups: [endpoints-sg], private_dns: false}"))
		r := probeOf(n, invoke)
		if r.Verdict != Connected || r.HasCode(CodeAPIGatewayPublicThroughEndpoint) {
			t.Fatalf("verdict %s: want connected through the NAT gateway: %s", r.Verdict, r.Summary)
		}
	})
	t.Run("not an invoke name", func(t *testing.T) {
		n := compileEngine(storyEngine(t, story))
		for _, to := range []string{"abcd1234-vpce-0123456789abcdef0.execute-api.us-east-1.amazonaws.com:443", "logs:443"} {
			if r := probeOf(n, to); r.HasCode(CodeAPIGatewayPublicThroughEndpoint) {
				t.Errorf("%s: %s, want no %s", to, r.Verdict, CodeAPIGatewayPublicThroughEndpoint)
			}
		}
	})
	for host, want := range map[string]bool{
		"abcd1234.execute-api.us-east-1":           true,
		"abcd1234.execute-api.eu-west-1":           false, // another Region's API
		"abcd1234-vpce-0abc.execute-api.us-east-1": false,
		"execute-api.us-east-1":                    false,
		"a.b.execute-api.us-east-1":                false,
		"abcd1234.execute-api.us-east-1.vpce":      false,
	} {
		if got := apiGatewayInvokeHost(host, "us-east-1"); got != want {
			t.Errorf("apiGatewayInvokeHost(%q) = %v, want %v", host, got, want)
		}
	}
}
