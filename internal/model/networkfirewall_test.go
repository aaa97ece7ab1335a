package model

import (
	"net/netip"
	"testing"
)

// TestFirewallHeaderMatch: a stateful rule's header is read into a match,
// and one holding what ecsnet does not model is refused whole (its rule is
// left out), never widened to any on the side ecsnet cannot read.
func TestFirewallHeaderMatch(t *testing.T) {
	web := netip.MustParseAddr("10.0.1.5")
	out := netip.MustParseAddr("203.0.113.7")
	for _, c := range []struct {
		h        FirewallHeader
		ok       bool
		match    bool // a tcp packet web -> out:8443
		protocol string
	}{
		{FirewallHeader{"TCP", "10.0.0.0/16", "ANY", "8443"}, true, true, "tcp"},
		{FirewallHeader{"IP", "ANY", "ANY", "ANY"}, true, true, ""},
		{FirewallHeader{"tcp", "10.0.1.5", "any", "[8000:9000]"}, true, true, "tcp"},
		{FirewallHeader{"TCP", "10.0.0.0/16", "ANY", "443"}, true, false, "tcp"},
		{FirewallHeader{"UDP", "ANY", "ANY", "ANY"}, true, false, "udp"},
		{FirewallHeader{"TLS", "ANY", "ANY", "ANY"}, false, false, ""},
		{FirewallHeader{"TCP", "$HOME_NET", "ANY", "8443"}, false, false, ""},
		{FirewallHeader{"TCP", "ANY", "@my-ip-set", "8443"}, false, false, ""},
		{FirewallHeader{"TCP", "ANY", "ANY", "$HTTP_PORTS"}, false, false, ""},
		{FirewallHeader{"TCP", "ANY", "ANY", "70000"}, false, false, ""},
	} {
		m, ok := c.h.Match()
		if ok != c.ok {
			t.Errorf("%+v: ok %v, want %v", c.h, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		if m.Protocol != c.protocol {
			t.Errorf("%+v: protocol %q, want %q", c.h, m.Protocol, c.protocol)
		}
		if got := m.Matches("tcp", web, out, 8443); got != c.match {
			t.Errorf("%+v: matches %v, want %v", c.h, got, c.match)
		}
	}
}

// TestAddStatelessGroup: a referenced group's rules follow the groups of
// lower priority, and within a group go by their own priorities.
func TestAddStatelessGroup(t *testing.T) {
	var p FirewallPolicy
	p.AddStatelessGroup(1, []FirewallStatelessRule{{Name: "b", Priority: 20}, {Name: "a", Priority: 10}})
	p.AddStatelessGroup(2, []FirewallStatelessRule{{Name: "c", Priority: 1}})
	var got []string
	for _, r := range p.StatelessRules {
		got = append(got, r.Name)
	}
	if len(got) != 3 || got[0] != "a" || got[1] != "b" || got[2] != "c" || p.StatelessRules[0].Priority != 1_000_010 {
		t.Fatalf("rules %v (%+v)", got, p.StatelessRules)
	}
}
