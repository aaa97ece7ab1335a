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
