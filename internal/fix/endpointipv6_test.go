package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestEndpointIPv6Fixes: an IPv6-only task's call of STS, whose interface
// endpoint answers no AAAA record, is fixed on the endpoint, verified by
// probing again: an ipv4 endpoint in a dual-stack subnet becomes dualstack; a
// dualstack one with records of type ipv4 or service-defined answers
// dualstack records. An ipv4 endpoint in a subnet without an IPv6 block
// gets no such fix (dualstack would be refused there).
func TestEndpointIPv6Fixes(t *testing.T) {
	const story = "../../examples/failures/analyzer-only/ipv6-only-endpoint-dns-records-ipv4.yaml"
	const opts = ", ip_address_type: dualstack, dns_record_ip_type: ipv4}"
	for _, c := range []struct {
		name, opts, title string
	}{
		{"ipv4 records", opts, "Set the DNS record IP type of the interface endpoint sts to dualstack"},
		{"service-defined records", ", ip_address_type: dualstack, dns_record_ip_type: service-defined}", "Set the DNS record IP type of the interface endpoint sts to dualstack"},
		{"ipv4 endpoint", "}", "Make the interface endpoint sts dualstack"},
	} {
		fixes := findFixes(t, story, func(s string) string { return strings.Replace(s, opts, c.opts, 1) },
			"api", "sts.us-east-1.amazonaws.com:443", "tcp", reach.CodeNoIPv6Address)
		f, ok := fixTitled(fixes, c.title)
		if !ok || f.Verification.Verdict != reach.Connected {
			t.Errorf("%s: no verified fix %q in\n%s", c.name, c.title, titles(fixes))
		}
	}
	fixes := findFixes(t, story, func(s string) string {
		s = strings.Replace(s, opts, "}", 1)
		return strings.Replace(s, "cidr: 10.0.1.0/24, ipv6: 1,", "cidr: 10.0.1.0/24,", 1)
	}, "api", "sts.us-east-1.amazonaws.com:443", "tcp", reach.CodeNoIPv6Address)
	if _, ok := fixTitled(fixes, "Make the interface endpoint sts dualstack"); ok {
		t.Errorf("a dualstack fix for an endpoint in a subnet without an IPv6 block:\n%s", titles(fixes))
	}
}
