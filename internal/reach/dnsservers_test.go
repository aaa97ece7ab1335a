package reach

import (
	"strings"
	"testing"
)

// TestCustomDNSServerUnreachable: a client in a VPC whose DHCP options
// give a DNS server of its own asks it on udp/53; the server's security
// group admits DNS over TCP only, so a probe by name ends nxdomain with
// ECS_DNS_SERVER_UNREACHABLE decided by that group. The same address
// probed directly connects. With two servers the second answers; a server
// the state does not hold is taken to answer.
func TestCustomDNSServerUnreachable(t *testing.T) {
	n := compileEngine(build(t, "testdata/custom-dns-server.yaml"))
	r := probeSpec(t, n, "client", "api.example.com:443", "tcp")
	x := check(t, r, NXDomain, CodeDNSServerUnreachable)[CodeDNSServerUnreachable]
	if x.Component == nil || x.Component.Name != "dns-sg" || !strings.Contains(x.Message, "10.0.5.10") || !strings.Contains(x.Message, "udp/53") {
		t.Errorf("explanation: component %+v, message %q", x.Component, x.Message)
	}
	if r := probeSpec(t, n, "client", "203.0.113.80:443", "tcp"); r.Verdict == NXDomain {
		t.Errorf("by address: %s", r.Summary)
	}
	for _, from := range []string{"client2", "client3"} {
		if r := probeSpec(t, n, from, "api.example.com:443", "tcp"); r.Verdict == NXDomain {
			t.Errorf("%s: %s: %s", from, r.Verdict, r.Summary)
		}
	}
}

// TestCustomDNSServerListens: an instance whose address the VPC's DHCP
// options give as a DNS server answers on udp/53 and tcp/53 (another
// instance of the same group does not). A client whose subnet's network
// ACL lets udp/53 in but not the UDP answers to its ephemeral port gets
// ECS_DNS_SERVER_UNREACHABLE decided by that ACL on the return path, not
// "nothing listens" on the server; the fix's explanation is about the
// reply.
func TestCustomDNSServerListens(t *testing.T) {
	n := compileEngine(build(t, "testdata/custom-dns-nacl-reply.yaml"))
	for _, proto := range []string{"udp", "tcp"} {
		if r := probeSpec(t, n, "client-b", "dns-server:53", proto); r.Verdict != Connected {
			t.Errorf("client-b → dns-server:53/%s: %s: %s", proto, r.Verdict, r.Summary)
		}
	}
	if r := probeSpec(t, n, "client-b", "other:53", "udp"); r.Verdict == Connected {
		t.Errorf("client-b → other:53/udp: %s (only the DHCP options' server listens)", r.Verdict)
	}
	if r := probeSpec(t, n, "client-b", "api.example.com:443", "tcp"); r.Verdict == NXDomain {
		t.Errorf("client-b by name: %s: %s", r.Verdict, r.Summary)
	}
	r := probeSpec(t, n, "client", "api.example.com:443", "tcp")
	x := check(t, r, NXDomain, CodeDNSServerUnreachable)[CodeDNSServerUnreachable]
	if x.Component == nil || x.Component.Name != "tcp-only" || x.Path != "return" || x.ACLRule == nil || x.ACLRule.Egress {
		t.Errorf("explanation: component %+v, path %q, rule %+v, message %q", x.Component, x.Path, x.ACLRule, x.Message)
	}
	if strings.Contains(x.Message, "nothing listens") {
		t.Errorf("message: %q", x.Message)
	}
}

// A start path whose DNS server's answers are dropped on the way back
// (custom-dns-nacl-udp-replies: the ACL lets the queries out, not the
// replies in) gets a hint about the replies, not about reaching udp/53.
func TestStartFixHintDNSReplyDropped(t *testing.T) {
	e := build(t, repoFile("examples/failures/analyzer-only/custom-dns-nacl-udp-replies.yaml"))
	n := compileEngine(e)
	var hints []string
	for _, s := range stateOf(e).Services {
		for _, f := range ServiceStartFailures(n, s) {
			if f.Blocked != nil && f.Blocked.Code == CodeDNSServerUnreachable {
				hints = append(hints, StartFixHint(&f))
			}
		}
	}
	if len(hints) == 0 {
		t.Fatal("no start failure decided by ECS_DNS_SERVER_UNREACHABLE")
	}
	for _, h := range hints {
		if !strings.Contains(h, "let the DNS servers' answers back (udp from port 53 to ports 1024-65535") {
			t.Errorf("hint: %s", h)
		}
	}
}
