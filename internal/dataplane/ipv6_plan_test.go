package dataplane

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// A dual-stack system's plan: IPv6 on everywhere, forwarding only where
// IPv4 forwards, the ENIs' IPv6 addresses and default routes, the route
// tables' IPv6 routes, an egress-only gateway that admits only replies,
// IPv6 security group rules; an IPv4-only system keeps IPv6 off.
func TestPlanIPv6(t *testing.T) {
	p := mustPlan(t, loadState(t, "examples/ipv6/dual-stack.yaml"))
	v6fwd := map[string]string{}
	v4fwd := map[string]string{}
	for _, s := range p.Sysctls {
		switch s.Key {
		case "net/ipv6/conf/all/disable_ipv6":
			if s.Value != "0" {
				t.Errorf("%s: IPv6 disabled in a dual-stack system", s.NS)
			}
		case "net/ipv6/conf/all/forwarding":
			v6fwd[s.NS] = s.Value
		case "net/ipv4/ip_forward":
			v4fwd[s.NS] = s.Value
		}
	}
	for ns, v := range v4fwd {
		if v6fwd[ns] != v {
			t.Errorf("%s: IPv4 forwarding %s, IPv6 %q", ns, v, v6fwd[ns])
		}
	}
	var eigw string
	for _, n := range p.Namespaces {
		if n.Role == "eigw" {
			eigw = n.Name
		}
	}
	fwd := chain(table(p, eigw, "eigw"), "fwd")
	if fwd == nil {
		t.Fatalf("no egress-only gateway table in %q", eigw)
	}
	// From the internet: established only, then drop.
	if r := fwd.Rules[1]; r.IIf != "inet" || !r.CtEstablished || r.Verdict.Kind != "accept" {
		t.Errorf("first inbound rule %+v", r)
	}
	if r := fwd.Rules[2]; r.IIf != "inet" || r.Verdict.Kind != "drop" {
		t.Errorf("second inbound rule %+v", r)
	}
	if !fwd.Rules[0].NDP {
		t.Errorf("neighbour discovery does not come first: %+v", fwd.Rules[0])
	}
	def6 := netip.MustParsePrefix("::/0")
	var eigwRoute, igwRoute, holderDefault bool
	for _, r := range p.Routes {
		if r.Dst == def6 && r.Dev == "eigw" {
			eigwRoute = true
		}
		if r.Dst == def6 && r.Dev == "igw" {
			igwRoute = true
		}
		if r.Dst == def6 && r.Table == 0 && strings.HasPrefix(r.Dev, "eth") && r.Via.Is6() {
			holderDefault = true
		}
	}
	if !eigwRoute || !igwRoute || !holderDefault {
		t.Errorf("::/0 to the egress-only gateway %t, to the internet gateway %t, an ENI's default route %t", eigwRoute, igwRoute, holderDefault)
	}
	var v6addr, v6rule bool
	for _, a := range p.Addrs {
		if a.Prefix.Addr().Is6() && a.Prefix.Bits() == 64 && strings.HasPrefix(a.Link, "eth") {
			v6addr = true
		}
	}
	for _, tb := range p.Tables {
		if tb.Name != "sg" {
			continue
		}
		for _, c := range tb.Chains {
			if slices.ContainsFunc(c.Rules, func(r Rule) bool { return len(r.Src) > 0 && r.Src[0] == def6 }) {
				v6rule = true
			}
		}
	}
	if !v6addr || !v6rule {
		t.Errorf("an ENI's IPv6 address %t, a ::/0 ingress rule %t", v6addr, v6rule)
	}

	p4 := mustPlan(t, loadState(t, "examples/seed/article.yaml"))
	for _, s := range p4.Sysctls {
		if s.Key == "net/ipv6/conf/all/disable_ipv6" && s.Value != "1" {
			t.Errorf("%s: IPv6 on in an IPv4-only system", s.NS)
		}
		if strings.HasPrefix(s.Key, "net/ipv6/conf/all/forwarding") {
			t.Errorf("%s: IPv6 forwarding in an IPv4-only system", s.NS)
		}
	}
}
