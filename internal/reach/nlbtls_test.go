package reach

import (
	"strings"
	"testing"
)

const nlbTLSStory = "examples/failures/nlb-tls-target-group-plain-app.yaml"

// An NLB's TLS listener ends the client's TLS; a TLS target group opens
// TLS to the target again, which a plain application fails (the client
// reset, the TCP health check still passing), and a TCP target group
// sends the decrypted bytes in plain.
func TestNLBTLSTargetGroup(t *testing.T) {
	const app = "serves: {/: 200, /health: 200}}"
	t.Run("a TLS target group in front of plain HTTP", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbTLSStory))
		r := probeSpec(t, n, "internet", "api-nlb:443", "tcp")
		byCode := check(t, r, Refused, CodeNLBTLSTargetHandshake)
		e := byCode[CodeNLBTLSTargetHandshake]
		if e.Component == nil || e.Component.Name != "api-tg" || e.Port != 8080 {
			t.Errorf("decided at %+v port %d, want api-tg 8080", e.Component, e.Port)
		}
		if !strings.Contains(e.Message, "healthy while every client is reset") {
			t.Errorf("message %q: want the TCP health check's story", e.Message)
		}
		for _, h := range TargetHealth(n, tgARN(t, n, "api-tg")) {
			if h.State != HealthHealthy {
				t.Errorf("target %s %s (%s): a TCP health check only connects", h.Name, h.State, h.Reason)
			}
		}
	})
	t.Run("the application serves TLS", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbTLSStory, app, app[:len(app)-1]+", tls: true}"))
		checkClean(t, probeSpec(t, n, "internet", "api-nlb:443", "tcp"), Connected)
	})
	t.Run("a TCP target group sends the decrypted bytes in plain", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbTLSStory, "protocol: TLS\n    port: 8080", "protocol: TCP\n    port: 8080"))
		checkClean(t, probeSpec(t, n, "internet", "api-nlb:443", "tcp"), Connected)
	})
	t.Run("an HTTPS health check fails the handshake too", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbTLSStory, "target_type: ip\n", "target_type: ip\n    health_check: {protocol: HTTPS, path: /health}\n"))
		r := probeSpec(t, n, "internet", "api-nlb:443", "tcp")
		check(t, r, Refused, CodeNLBTLSTargetHandshake)
		for _, h := range TargetHealth(n, tgARN(t, n, "api-tg")) {
			if h.State != HealthUnhealthy || h.Reason != ReasonFailedHealthChecks {
				t.Errorf("target %s %s (%s): want unhealthy, FailedHealthChecks", h.Name, h.State, h.Reason)
			}
		}
	})
}

// A plain HTTP client (an http:// URL) of an NLB's TLS listener: the node
// fails the handshake and resets it, whatever the target group.
func TestPlainHTTPToNLBTLSListener(t *testing.T) {
	for _, edit := range [][]string{nil, {"protocol: TLS\n    port: 8080", "protocol: TCP\n    port: 8080"}} {
		n := compileEngine(storyEngine(t, nlbTLSStory, edit...))
		q, err := NewQuery(n, "internet", "api-nlb:443", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.PlainHTTP = true
		r := Probe(n, q)
		byCode := check(t, r, Refused, CodePlainHTTPToHTTPSListener)
		if c := byCode[CodePlainHTTPToHTTPSListener].Component; c == nil || c.Type != "listener" {
			t.Errorf("decided at %+v, want the listener", c)
		}
		if r.HasCode(CodeNLBTLSTargetHandshake) {
			t.Errorf("the target group judged a connection the listener reset: %s", codeList(r))
		}
	}
}

// A node with no target to send to accepts no connection, plain or TLS
// (the kernel's node plans no relay there): the plain client times out
// on the empty target group, not on the handshake.
func TestPlainHTTPToNLBTLSListenerNoTargets(t *testing.T) {
	n := compileEngine(storyEngine(t, nlbTLSStory, "desired: 2", "desired: 0"))
	q, err := NewQuery(n, "internet", "api-nlb:443", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	q.PlainHTTP = true
	r := Probe(n, q)
	check(t, r, Timeout, CodeNoRegisteredTargets)
	if r.HasCode(CodePlainHTTPToHTTPSListener) {
		t.Errorf("a node without targets judged the handshake: %s", codeList(r))
	}
}
