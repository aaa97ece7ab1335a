package cli

import (
	"strings"
	"testing"
)

// TestProbeHTTPVersion: --http-version sets the client's protocol through
// an ALB: an HTTPS listener forwarding to a target group of protocol
// version HTTP2 answers an HTTP/1.1 client (the default) 464 and an
// HTTP/2 client 200; a value that is no HTTP version is refused.
func TestProbeHTTPVersion(t *testing.T) {
	const src = "internal/reach/testdata/alb-protocol-version.yaml"
	code, out, errs := run(t, "probe", src, "--from", "internet", "--to", "api-alb:443", "--fixes=false")
	if !strings.Contains(out, "http 464") || !strings.Contains(out, "ECS_LB_PROTOCOL_VERSION_MISMATCH") {
		t.Errorf("HTTP/1.1: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, "probe", src, "--from", "internet", "--to", "api-alb:443", "--http-version", "2")
	if code != ExitOK || !strings.Contains(out, "http 200") {
		t.Errorf("--http-version 2: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, "probe", src, "--from", "internet", "--to", "api-alb:443", "--http-version", "3")
	if code == ExitOK || !strings.Contains(out+errs, `--http-version "3": want 1.1, 2 or grpc`) {
		t.Errorf("--http-version 3: exit %d\n%s%s", code, out, errs)
	}
}

// TestProbePlainHTTP: --plain-http sends plain HTTP to an HTTPS listener,
// which answers 400, and the fix is the client's https:// URL.
func TestProbePlainHTTP(t *testing.T) {
	const src = "examples/failures/alb-plain-http-to-https-listener.yaml"
	code, out, errs := run(t, "probe", src, "--from", "internet", "--to", "hooks-alb:443", "--fixes=false")
	if code != ExitOK || !strings.Contains(out, "http 200") {
		t.Errorf("over TLS: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, "probe", src, "--from", "internet", "--to", "hooks-alb:443", "--plain-http")
	if !strings.Contains(out, "http 400") || !strings.Contains(out, "ECS_PLAIN_HTTP_TO_HTTPS_LISTENER") || !strings.Contains(out, "Call https://") {
		t.Errorf("--plain-http: exit %d\n%s%s", code, out, errs)
	}
}
