package dataplane

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
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

// A dualstack NLB's plan: the clients of an ipv6 group's family passed
// through to the targets' IPv6 addresses (the source rewritten to the
// node's IPv6 address, the tag in the traffic class), the other family's
// translated (one translation per listener and family, gated until the
// node checks the target); IPv6 routes to a peering connection lead to
// the peer's router.
func TestPlanNLBAndPeeringIPv6(t *testing.T) {
	p := mustPlan(t, loadState(t, "internal/dataplane/testdata/nlb-ipv6.yaml"))
	var dnat6, snat6, tag6 bool
	for _, tb := range p.Tables {
		for _, c := range tb.Chains {
			for _, r := range c.Rules {
				dnat6 = dnat6 || r.Verdict.Kind == "dnat" && r.Verdict.Addr.Is6()
				snat6 = snat6 || r.Verdict.Kind == "snat" && r.Verdict.Addr.Is6()
				tag6 = tag6 || r.Verdict.Kind == "dscp" && r.DSCP6
			}
		}
	}
	if !dnat6 || !snat6 || !tag6 {
		t.Errorf("IPv6 dnat %t, snat to the node's IPv6 address %t, tag %t", dnat6, snat6, tag6)
	}
	got := map[uint16]bool{}
	for _, x := range p.NLBTranslations {
		got[x.Listen.Port()] = x.Listen.Addr().Is6()
		if x.Source.Is6() == x.Listen.Addr().Is6() || x.Candidates[0].Addr.Addr().Is6() != x.Source.Is6() {
			t.Errorf("translation %+v: the source is not of the target's family", x)
		}
		gate := table(p, x.NS, nlbXlatTable)
		if gate == nil || !slices.ContainsFunc(gate.Chains[0].Rules, func(r Rule) bool {
			return r.Verdict.Kind == "drop" && len(r.Dst) == 1 && r.Dst[0].Addr() == x.Listen.Addr() && r.Ports == model.Port(x.Listen.Port())
		}) {
			t.Errorf("no gate for %s", x.Listen)
		}
	}
	want := map[uint16]bool{80: false, 81: false, 83: false, 84: true, 85: true, 86: true}
	if len(got) != len(want) {
		t.Errorf("translated listeners %v, want %v", got, want)
	}
	for port, v6 := range want {
		if g, ok := got[port]; !ok || g != v6 {
			t.Errorf("listener %d: translated for IPv6 clients %t (planned %t), want %t", port, g, ok, v6)
		}
	}

	pp := mustPlan(t, loadState(t, "internal/dataplane/testdata/peering-ipv6.yaml"))
	peer6 := 0
	for _, r := range pp.Routes {
		if r.Dst.Addr().Is6() && strings.HasPrefix(r.Dev, "p") && r.Via.Is6() && !r.Blackhole {
			peer6++
		}
	}
	if peer6 != 2 {
		t.Errorf("%d IPv6 routes to the peering link, want 2 (one per side)", peer6)
	}
}
