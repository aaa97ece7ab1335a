package reach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A target group's protocol against the protocol the tasks' application
// speaks: HTTPS to a plain HTTP container fails the TLS handshake (health
// checks Target.FailedHealthChecks, requests 502); a container that
// speaks TLS (tls: true) is healthy behind it; plain HTTP to a TLS
// container is answered 400 (Target.ResponseCodeMismatch, and the
// client's 400).
func TestTargetTLSMismatch(t *testing.T) {
	path := repoFile("examples/failures/tg-https-container-http.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	variant := func(t *testing.T, edits ...string) *Network {
		t.Helper()
		s := string(data)
		for i := 0; i < len(edits); i += 2 {
			if !strings.Contains(s, edits[i]) {
				t.Fatalf("no %q in the story", edits[i])
			}
			s = strings.Replace(s, edits[i], edits[i+1], 1)
		}
		f := filepath.Join(t.TempDir(), "story.yaml")
		if err := os.WriteFile(f, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return compileEngine(build(t, f))
	}
	const container = "web: {image: public.ecr.aws/nginx/nginx:1.27, ports: [80]}"
	health := func(n *Network) TargetHealthResult {
		t.Helper()
		for _, x := range n.tgOrder {
			if hs := TargetHealth(n, x.tg.ARN); len(hs) > 0 {
				return hs[0]
			}
		}
		t.Fatal("no target")
		return TargetHealthResult{}
	}

	n := variant(t)
	r := probeSpec(t, n, "internet", "web-alb:443", "tcp")
	if r.Verdict != HTTP502 || !r.HasCode(CodeTargetTLSMismatch) || !r.DecidedBy("web-tg", "") {
		t.Errorf("HTTPS to plain HTTP: %s: %s", r.Verdict, r.Summary)
	}
	if h := health(n); h.Reason != ReasonFailedHealthChecks || h.ProtocolMismatch != "HTTP" {
		t.Errorf("HTTPS to plain HTTP: health %+v", h)
	}

	n = variant(t, container, strings.Replace(container, "ports: [80]", "ports: [80], tls: true", 1))
	if r := probeSpec(t, n, "internet", "web-alb:443", "tcp"); r.Verdict != HTTP200 || r.HasCode(CodeTargetTLSMismatch) {
		t.Errorf("HTTPS to TLS: %s: %s", r.Verdict, r.Summary)
	}
	if h := health(n); h.State != HealthHealthy {
		t.Errorf("HTTPS to TLS: health %+v", h)
	}

	n = variant(t, container, strings.Replace(container, "ports: [80]", "ports: [80], tls: true", 1),
		"protocol: HTTPS, port: 80, target_type: ip", "protocol: HTTP, port: 80, target_type: ip")
	r = probeSpec(t, n, "internet", "web-alb:443", "tcp")
	if r.Verdict != HTTPVerdict(StatusPlainHTTPToTLS) || !r.HasCode(CodeTargetTLSMismatch) {
		t.Errorf("HTTP to TLS: %s: %s", r.Verdict, r.Summary)
	}
	if h := health(n); h.Reason != ReasonResponseCodeMismatch || h.Description != "Health checks failed with these codes: [400]" || h.ProtocolMismatch != "HTTPS" {
		t.Errorf("HTTP to TLS: health %+v", h)
	}
}

// A plain HTTP request (an http:// URL) to an ALB's HTTPS listener is
// answered 400 by the listener, before any rule or target; over TLS the
// same request reaches the targets.
func TestPlainHTTPToHTTPSListener(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/alb-plain-http-to-https-listener.yaml")))
	q, err := NewQuery(n, "internet", "hooks-alb:443", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if r := Probe(n, q); r.Verdict != HTTP200 || r.HasCode(CodePlainHTTPToHTTPSListener) {
		t.Errorf("over TLS: %s: %s", r.Verdict, r.Summary)
	}
	q.PlainHTTP = true
	r := Probe(n, q)
	x := check(t, r, HTTPVerdict(StatusPlainHTTPToHTTPSListener), CodePlainHTTPToHTTPSListener)[CodePlainHTTPToHTTPSListener]
	if !strings.Contains(x.Message, "https://") || !strings.Contains(x.Message, "redirect") || len(r.Targets) != 0 {
		t.Errorf("plain HTTP: %s (targets %v)", x.Message, r.Targets)
	}
}
