package difftest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Firewall is an AWS Network Firewall firewall of a generated system
// (genfirewall.go): one endpoint, in Subnet, and its policy.
type Firewall struct {
	Name, VPC, Subnet, AZ string
	StatelessDefault      string // forward, pass or drop
	Stateless             []FirewallRule
	Strict                bool
	StatefulDefault       string // "" or drop_strict (strict order only)
	Stateful              []FirewallRule
}

// FirewallRule is a firewall rule: Priority for a stateless one, an
// action, a protocol ("" any), ports ("" any) and a destination ("" any).
type FirewallRule struct {
	Priority                int
	Action                  string
	Proto, Ports, Dest, Src string
}

// firewalls puts, in about one system in four with an internet gateway,
// an AWS Network Firewall in front of a route table whose default route
// is the gateway, from a stream of its own (the systems it leaves alone
// stay what they were): a /28 of its own for the endpoint, whose route
// table sends 0.0.0.0/0 to the gateway; the route table's default route
// to the endpoint; the gateway's edge route table sending the range of
// each subnet of that route table back to it (now and then one is
// left out: asymmetric routing); and a random policy (stateless rules
// that drop, pass or forward, the stateful rules of either order).
func (g *gen) firewalls(r *rand.Rand) {
	if r.Float64() >= 0.25 {
		return
	}
	saved := g.r
	g.r = r
	defer func() { g.r = saved }()
	type cand struct {
		v  *VPC
		rt *RouteTable
	}
	var cands []cand
	for _, rt := range g.s.RouteTables {
		v := g.s.vpcByName(rt.VPC)
		if v == nil || v.IGW == "" || v.Egress {
			continue
		}
		if slices.ContainsFunc(rt.Routes, func(x Route) bool { return x.Dest == "0.0.0.0/0" && x.Target == v.IGW }) {
			cands = append(cands, cand{v, rt})
		}
	}
	if len(cands) == 0 {
		return
	}
	c := pick(g, cands)
	var subs []*Subnet
	for _, sn := range g.s.Subnets {
		if sn.VPC == c.v.Name && !sn.IPv6Only && (sn.RouteTable == c.rt.Name || sn.RouteTable == "" && c.rt.Main) {
			subs = append(subs, sn)
		}
	}
	if len(subs) == 0 {
		return
	}
	vi := strings.TrimPrefix(c.v.Name, "vpc")
	fw := &Firewall{Name: "fw0", VPC: c.v.Name, Subnet: "fwsub" + vi, AZ: subs[0].AZ, StatelessDefault: "forward"}
	g.s.Subnets = append(g.s.Subnets, &Subnet{Name: fw.Subnet, VPC: c.v.Name, CIDR: fmt.Sprintf("10.%s.250.0/28", vi), AZ: fw.AZ, RouteTable: "fwrt" + vi})
	g.s.RouteTables = append(g.s.RouteTables, &RouteTable{Name: "fwrt" + vi, VPC: c.v.Name, Routes: []Route{{Dest: "0.0.0.0/0", Target: c.v.IGW}}})
	target := `"` + fw.Name + ":" + fw.AZ + `"`
	for i, x := range c.rt.Routes {
		if x.Dest == "0.0.0.0/0" && x.Target == c.v.IGW {
			c.rt.Routes[i].Target = target
		}
	}
	edge := &RouteTable{Name: "edge" + vi, VPC: c.v.Name, Gateways: []string{c.v.IGW}}
	for _, sn := range subs {
		if len(subs) > 1 && g.chance(0.15) {
			continue // asymmetric: the replies to this subnet come straight in
		}
		edge.Routes = append(edge.Routes, Route{Dest: sn.CIDR, Target: target})
	}
	if len(edge.Routes) > 0 {
		g.s.RouteTables = append(g.s.RouteTables, edge)
	}
	switch x := g.r.Float64(); {
	case x < 0.1:
		fw.StatelessDefault = "pass"
	case x < 0.15:
		fw.StatelessDefault = "drop"
	}
	ports := func() string {
		if g.chance(0.3) {
			return ""
		}
		return pick(g, []string{"22", "80", "443", "3000", "8080", "9000", "53", "1024-65535"})
	}
	proto := func(icmp bool) string {
		ps := []string{"tcp", "tcp", "udp", ""}
		if icmp {
			ps = append(ps, "icmp")
		}
		return pick(g, ps)
	}
	dest := func() string {
		switch x := g.r.Float64(); {
		case x < 0.6:
			return ""
		case x < 0.8:
			return pick(g, subs).CIDR
		}
		return "198.51.100.7/32"
	}
	for i := range g.intn(3) {
		rl := FirewallRule{Priority: 10 * (i + 1), Action: pick(g, []string{"drop", "pass", "forward", "forward"}), Proto: proto(false), Dest: dest()}
		if rl.Proto != "" {
			rl.Ports = ports()
		}
		fw.Stateless = append(fw.Stateless, rl)
	}
	fw.Strict = g.chance(0.4)
	if fw.Strict && g.chance(0.5) {
		fw.StatefulDefault = "drop_strict"
	}
	for range g.intn(4) {
		rl := FirewallRule{Action: pick(g, []string{"pass", "pass", "drop", "reject", "alert"}), Proto: proto(true), Dest: dest()}
		if rl.Proto == "tcp" || rl.Proto == "udp" {
			rl.Ports = ports()
		}
		if g.chance(0.2) {
			rl.Src = c.v.CIDR
		}
		fw.Stateful = append(fw.Stateful, rl)
	}
	g.s.Firewalls = append(g.s.Firewalls, fw)
}

// vpcByName is the system's VPC of that name, or nil.
func (s *System) vpcByName(name string) *VPC {
	for _, v := range s.VPCs {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// firewallsYAML renders the firewalls (scenario/build_firewall.go).
func (s *System) firewallsYAML(w func(string, ...any)) {
	if len(s.Firewalls) == 0 {
		return
	}
	rule := func(rl FirewallRule, stateless bool) string {
		var parts []string
		if stateless {
			parts = append(parts, "priority: "+strconv.Itoa(rl.Priority))
		}
		parts = append(parts, "action: "+rl.Action)
		if rl.Proto != "" {
			parts = append(parts, "protocol: "+rl.Proto)
		}
		if rl.Ports != "" {
			parts = append(parts, "ports: "+yamlCIDR(rl.Ports))
		}
		if rl.Src != "" {
			parts = append(parts, "source: "+rl.Src)
		}
		if rl.Dest != "" {
			parts = append(parts, "destination: "+rl.Dest)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	w("\nfirewalls:\n")
	for _, f := range s.Firewalls {
		w("  %s:\n    vpc: %s\n    subnets: [%s]\n    stateless_default: %s\n", f.Name, f.VPC, f.Subnet, f.StatelessDefault)
		if len(f.Stateless) > 0 {
			w("    stateless_rules:\n")
			for _, rl := range f.Stateless {
				w("      - %s\n", rule(rl, true))
			}
		}
		if f.Strict {
			w("    rule_order: strict\n")
			if f.StatefulDefault != "" {
				w("    stateful_default: %s\n", f.StatefulDefault)
			}
		}
		if len(f.Stateful) > 0 {
			w("    stateful_rules:\n")
			for _, rl := range f.Stateful {
				w("      - %s\n", rule(rl, false))
			}
		}
	}
}
