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
	StatefulDefault       string // "", drop_strict or drop_established (strict order only)
	Stateful              []FirewallRule
	// Rules are stateful rules written as Suricata rule strings (the
	// scenario's rules:, read by the model's parser after Stateful):
	// $HOME_NET, $EXTERNAL_NET, negations, source ports, <>, flow.
	Rules []string
	// HomeNet is the policy's HOME_NET (none: the VPC's CIDR blocks).
	HomeNet string
}

// FirewallRule is a firewall rule: Priority for a stateless one, an
// action, a protocol ("" any), ports ("" any) and a destination ("" any).
type FirewallRule struct {
	Priority                int
	Action                  string
	Proto, Ports, Dest, Src string
	// SrcPorts are the source ports ("" any); Both: direction <>
	// (stateful rules).
	SrcPorts string
	Both     bool
}

// firewalls puts, in about one system in four with an internet gateway,
// an AWS Network Firewall in front of a route table whose default route
// is the gateway, from a stream of its own (the systems it leaves alone
// stay what they were): a /28 of its own for the endpoint, whose route
// table sends 0.0.0.0/0 to the gateway; the route table's default route
// to the endpoint; the gateway's edge route table sending the range of
// each subnet of that route table back to it; and a random policy (stateless rules
// that drop, pass or forward, the stateful rules of either order).
func (g *gen) firewalls(r *rand.Rand) {
	if r.Float64() >= 0.25 {
		return
	}
	saved := g.r
	g.r = r
	defer func() { g.r = saved }()
	c, subs := g.publicTable(func(*VPC) bool { return false })
	if len(subs) == 0 {
		return
	}
	vi := strings.TrimPrefix(c.v.Name, "vpc")
	fw := &Firewall{Name: "fw0", VPC: c.v.Name, Subnet: "fwsub" + vi, AZ: subs[0].AZ, StatelessDefault: "forward"}
	g.s.Subnets = append(g.s.Subnets, &Subnet{Name: fw.Subnet, VPC: c.v.Name, CIDR: fmt.Sprintf("10.%s.250.0/28", vi), AZ: fw.AZ, RouteTable: "fwrt" + vi})
	g.s.RouteTables = append(g.s.RouteTables, &RouteTable{Name: "fwrt" + vi, VPC: c.v.Name, Routes: []Route{{Dest: "0.0.0.0/0", Target: c.v.IGW}}})
	target := `"` + fw.Name + ":" + fw.AZ + `"`
	// Every IPv4 route of the table to the gateway goes through the
	// firewall; the edge route table leaves a subnet's range out now and
	// then (oneWayEdge), so that its flows pass the firewall one way only.
	for i, x := range c.rt.Routes {
		if x.Target == c.v.IGW && !strings.Contains(x.Dest, ":") {
			c.rt.Routes[i].Target = target
		}
	}
	edge := &RouteTable{Name: "edge" + vi, VPC: c.v.Name, Gateways: []string{c.v.IGW}}
	for _, sn := range subs {
		oneWayEdge(edge, sn, target, len(subs) > 1 && g.chance(0.15)) // genfirewall.go
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
		fw.StatefulDefault = pick(g, []string{"drop_strict", "drop_established"})
	}
	for range g.intn(4) {
		rl := FirewallRule{Action: pick(g, []string{"pass", "pass", "drop", "reject", "alert"}), Proto: proto(true), Dest: dest()}
		if rl.Proto == "tcp" || rl.Proto == "udp" {
			rl.Ports = ports()
		}
		if g.chance(0.2) {
			rl.Src = c.v.CIDR
		}
		if (rl.Proto == "tcp" || rl.Proto == "udp") && g.chance(0.15) {
			rl.SrcPorts = pick(g, []string{"49152", "1024-65535", "80", "443"})
		}
		rl.Both = g.chance(0.15)
		fw.Stateful = append(fw.Stateful, rl)
	}
	if g.chance(0.5) {
		if g.chance(0.25) {
			fw.HomeNet = pick(g, subs).CIDR
		}
		for i := range 1 + g.intn(3) {
			fw.Rules = append(fw.Rules, g.suricataRule(subs, 100+i))
		}
	}
	if len(subs) > 1 && g.chance(0.15) {
		g.oneWayOut(c.v, c.rt, pick(g, subs), target)
	}
	g.s.Firewalls = append(g.s.Firewalls, fw)
}

// oneWayOut gives subnet sn, one of the subnets the firewall inspects,
// a route table of its own whose IPv4 routes to the firewall (target) go
// straight to the internet gateway instead, while the edge route table
// still sends its range through the firewall: its requests to the
// internet go out around the firewall and their replies come in through
// it, and a request from the internet comes in through it and its reply
// goes out around it (round 39, reach/ingressasym.go). The draw comes
// after the stream's others, which stay what they were.
func (g *gen) oneWayOut(v *VPC, rt *RouteTable, sn *Subnet, target string) {
	own := &RouteTable{Name: "oneway" + strings.TrimPrefix(v.Name, "vpc"), VPC: v.Name}
	for _, x := range rt.Routes {
		if x.Target == target && !strings.Contains(x.Dest, ":") {
			x.Target = v.IGW
		}
		own.Routes = append(own.Routes, x)
	}
	g.s.RouteTables = append(g.s.RouteTables, own)
	sn.RouteTable = own.Name
}

// oneWayEdge writes the edge route table's route for subnet sn's range
// to the firewall (target), unless oneWay: then the replies to the subnet
// come straight in from the internet gateway, around the firewall its
// requests went out through (round 39: the analyzer's verdicts on such
// one-way flows are the kernel's: a TCP connection times out, a UDP
// answer, an echo reply or a reset reaches the client, a stateless pass
// keeps no state; reach/ingressasym.go).
func oneWayEdge(edge *RouteTable, sn *Subnet, target string, oneWay bool) {
	if oneWay {
		return
	}
	edge.Routes = append(edge.Routes, Route{Dest: sn.CIDR, Target: target})
}

// suricataRule is a stateful rule string of the 5-tuple kind (no
// application protocol or content: the data plane refuses those): an
// action, a protocol, each side any, $HOME_NET, $EXTERNAL_NET, a subnet's
// range or its negation, source and destination ports, either direction,
// and now and then flow:established or flow:not_established.
func (g *gen) suricataRule(subs []*Subnet, sid int) string {
	proto := pick(g, []string{"tcp", "tcp", "udp", "ip", "icmp"})
	addr := func() string {
		switch x := g.r.Float64(); {
		case x < 0.4:
			return "any"
		case x < 0.55:
			return "$HOME_NET"
		case x < 0.7:
			return "$EXTERNAL_NET"
		case x < 0.8:
			return pick(g, subs).CIDR
		case x < 0.9:
			return "!" + pick(g, subs).CIDR
		}
		return "198.51.100.7"
	}
	port := func(src bool) string {
		if proto != "tcp" && proto != "udp" || g.chance(0.5) {
			return "any"
		}
		if src {
			return pick(g, []string{"49152", "1024:65535", "[80,443]", "!22"})
		}
		return pick(g, []string{"22", "80", "443", "[8000:9000]", "!80", "[80,443]"})
	}
	dir := "->"
	if g.chance(0.2) {
		dir = "<>"
	}
	opts := fmt.Sprintf(`msg:"gen %d"; `, sid)
	if proto == "tcp" && g.chance(0.3) {
		opts += pick(g, []string{"flow:established; ", "flow:not_established; ", "flow:to_server; "})
	}
	act := pick(g, []string{"pass", "pass", "drop", "reject", "alert"})
	return fmt.Sprintf("%s %s %s %s %s %s %s (%ssid:%d;)", act, proto, addr(), port(true), dir, addr(), port(false), opts, sid)
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
		if rl.SrcPorts != "" {
			parts = append(parts, "source_ports: "+yamlCIDR(rl.SrcPorts))
		}
		if rl.Both {
			parts = append(parts, "direction: both")
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
		if len(f.Rules) > 0 {
			w("    rules: |\n")
			for _, l := range f.Rules {
				w("      %s\n", l)
			}
		}
		if f.HomeNet != "" {
			w("    home_net: [%s]\n", f.HomeNet)
		}
	}
}

// publicTable is a route table, of a VPC with an internet gateway that
// skip leaves (never an egress VPC), whose default route is that gateway,
// picked at random, and the IPv4 subnets it serves (none when there is
// no such table).
func (g *gen) publicTable(skip func(*VPC) bool) (publicTable, []*Subnet) {
	var cands []publicTable
	for _, rt := range g.s.RouteTables {
		v := g.s.vpcByName(rt.VPC)
		if v == nil || v.IGW == "" || v.Egress || skip(v) {
			continue
		}
		if slices.ContainsFunc(rt.Routes, func(x Route) bool { return x.Dest == "0.0.0.0/0" && x.Target == v.IGW }) {
			cands = append(cands, publicTable{v, rt})
		}
	}
	if len(cands) == 0 {
		return publicTable{}, nil
	}
	c := pick(g, cands)
	var subs []*Subnet
	for _, sn := range g.s.Subnets {
		if sn.VPC == c.v.Name && !sn.IPv6Only && (sn.RouteTable == c.rt.Name || sn.RouteTable == "" && c.rt.Main) {
			subs = append(subs, sn)
		}
	}
	return c, subs
}

// publicTable is a route table to an internet gateway and its VPC.
type publicTable struct {
	v  *VPC
	rt *RouteTable
}
