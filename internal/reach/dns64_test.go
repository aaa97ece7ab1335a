package reach

import (
	"strings"
	"testing"
)

// DNS64 on a dual-stack subnet: an IPv6 client's lookup of an IPv4-only
// name gets a 64:ff9b::/96 address, which the subnet's ::/0 to the
// internet gateway does not carry (no NAT64); with 64:ff9b::/96 routed to
// the NAT gateway it connects, translated to IPv4. Over IPv4 the client
// uses the A record; without DNS64 an IPv6 probe of an IPv4-only name is
// refused as before (the name has no IPv6 address).
func TestDualStackDNS64(t *testing.T) {
	const story = "examples/failures/analyzer-only/dual-stack-dns64-no-nat64-route.yaml"
	e := storyEngine(t, story)
	n := compileEngine(e)
	if r := probeSpec(t, n, "runner", "api.github.com:443", "tcp"); r.Verdict != Connected {
		t.Errorf("over IPv4: %s (%s)", r.Verdict, r.Summary)
	}
	q, err := NewQuery(n, "runner", "api.github.com:443", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	q.IPv6 = true
	r := Probe(n, q)
	xs := check(t, r, NoRoute, CodeIPv6OnlyNoNAT64)
	if m := xs[CodeIPv6OnlyNoNAT64].Message; !strings.Contains(m, "dual-stack subnet public-a") || !strings.Contains(m, "64:ff9b::") {
		t.Errorf("the explanation: %s", m)
	}
	fixed := storyEngine(t, story, `      - {destination: "::/0", target: igw}`, `      - {destination: "::/0", target: igw}
      - {destination: "64:ff9b::/96", target: nat-a}`)
	n = compileEngine(fixed)
	q, _ = NewQuery(n, "runner", "api.github.com:443", "tcp")
	q.IPv6 = true
	if r := Probe(n, q); r.Verdict != Connected {
		t.Errorf("with NAT64: %s (%s)", r.Verdict, r.Summary)
	} else {
		synth := false
		for _, h := range r.Forward {
			synth = synth || strings.HasPrefix(h.Packet.Destination.String(), "64:ff9b::") && h.Packet.Source.Is6()
		}
		if !synth {
			t.Errorf("no hop carries the IPv6 client's packet to the synthesized address: %+v", r.Forward)
		}
	}
	off := storyEngine(t, story, "dns64: true, az: us-east-1a", "az: us-east-1a")
	n = compileEngine(off)
	q, _ = NewQuery(n, "runner", "api.github.com:443", "tcp")
	q.IPv6 = true
	if r := Probe(n, q); r.Verdict != Unknown {
		t.Errorf("without DNS64 an IPv6 probe of an IPv4-only name is %s, want unknown (no AAAA)", r.Verdict)
	}
}
