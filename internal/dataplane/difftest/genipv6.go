package difftest

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// IPv6 (Config.IPv6): in about a third of the systems, from a random
// stream of its own (the other systems stay what they were), most VPCs
// get an IPv6 block and some an egress-only internet gateway; most of
// their subnets a /64 (usually assigning IPv6 addresses on creation, so
// the instances and tasks launched there are dual-stack); route tables
// a ::/0 route to the internet gateway or the egress-only gateway (or
// none), sometimes a narrower one; security groups rules of IPv6 CIDRs
// (tcp, udp, icmpv6 with a type and code, all); network ACLs IPv6
// entries, often an allow-all for ::/0 under the IPv4 one; and an ALB in
// subnets that all have a /64 is often dualstack, and so, from a stream
// of its own (nlbsIPv6), is an internet-facing Network Load Balancer,
// whose TCP and TLS listeners to ip targets then often forward to ipv6
// target groups.

// ipv6CIDRs are the IPv6 sources and destinations rules name: the whole
// internet, the documentation prefix the internet's IPv6 client is in,
// that client alone, and the VPC's block (filled in by v6cidr).
var ipv6CIDRs = []string{"::/0", "2001:db8::/32", "2001:db8::7/128"}

// icmpv6Types are the generated icmpv6 rules' types and codes: the echo
// request 128 and the echo reply 129 with any code or code 0, a wrong
// code, destination unreachable 1, all.
var icmpv6Types = []string{"128/-1", "128/0", "129/-1", "129/0", "129/1", "1/-1", "-1/-1"}

func (g *gen) ipv6(r *rand.Rand) {
	if r.Float64() >= 0.35 {
		return
	}
	saved := g.r
	g.r = r
	defer func() { g.r = saved }()
	for _, v := range g.s.VPCs {
		if !g.chance(0.85) {
			continue
		}
		v.IPv6 = true
		vi := vpcIndex(v)
		if g.chance(0.5) {
			v.EIGW = "eigw" + vi
		}
		var subs []*Subnet
		for i, sn := range g.s.Subnets {
			if sn.VPC == v.Name && g.chance(0.85) {
				sn.IPv6 = strconv.Itoa(i + 1)
				sn.AssignIPv6 = g.chance(0.9)
				subs = append(subs, sn)
			}
		}
		for _, rt := range g.s.RouteTables {
			if rt.VPC != v.Name {
				continue
			}
			switch x := g.r.Float64(); {
			case x < 0.55 && v.IGW != "":
				rt.Routes = append(rt.Routes, Route{"::/0", v.IGW})
			case x < 0.85 && v.EIGW != "":
				rt.Routes = append(rt.Routes, Route{"::/0", v.EIGW})
			}
			if g.chance(0.15) {
				var targets []string
				for _, t := range []string{v.IGW, v.EIGW} {
					if t != "" {
						targets = append(targets, t)
					}
				}
				if len(targets) > 0 {
					rt.Routes = append(rt.Routes, Route{pick(g, []string{"2001:db8::/32", "2001:db8::7/128"}), pick(g, targets)})
				}
			}
		}
		for _, sg := range g.sgsIn(v.Name) {
			for range 1 + g.intn(3) {
				sg.Ingress = addRule(sg.Ingress, g.rule6())
			}
			if sg.Custom && g.chance(0.5) {
				sg.Egress = addRule(sg.Egress, g.rule6())
			}
		}
		for _, a := range g.s.ACLs {
			if a.VPC != v.Name {
				continue
			}
			a.Ingress = g.aclEntries6(a.Ingress)
			a.Egress = g.aclEntries6(a.Egress)
		}
		for _, lb := range g.s.LBs {
			// Internal load balancers must use the ipv4 IP address type
			// (ELB API Reference, SetIpAddressType).
			if g.vpcOf(lb.Subnets[0]) != v || lb.Internal || !g.chance(0.7) {
				continue
			}
			if slices.ContainsFunc(lb.Subnets, func(n string) bool {
				return !slices.ContainsFunc(subs, func(sn *Subnet) bool { return sn.Name == n && sn.AssignIPv6 })
			}) {
				continue
			}
			lb.DualStack = true
			if sgs := g.sgsIn(v.Name); len(lb.SGs) > 0 && g.chance(0.7) {
				for _, sg := range sgs {
					if sg.Name == lb.SGs[0] {
						sg.Ingress = addRule(sg.Ingress, Rule{Proto: "tcp", Ports: strconv.Itoa(lb.Port), CIDR: "::/0"})
					}
				}
			}
		}
	}
}

// rule6 is a security group rule of an IPv6 CIDR.
func (g *gen) rule6() Rule {
	r := Rule{Proto: g.proto(), CIDR: pick(g, ipv6CIDRs)}
	if r.Proto == "icmp" {
		r.Proto = "icmpv6"
	}
	if r.Proto != "all" {
		r.Ports = g.portsFor(r.Proto)
	}
	return r
}

// aclEntries6 adds IPv6 entries to a network ACL's entries: often an
// allow-all for ::/0 at 201, and random entries below it.
func (g *gen) aclEntries6(entries []ACLEntry) []ACLEntry {
	used := map[int]bool{}
	for _, e := range entries {
		used[e.Rule] = true
	}
	out := slices.Clone(entries)
	if g.chance(0.7) && !used[201] {
		out = append(out, ACLEntry{Rule: 201, Proto: "all", CIDR: "::/0", Allow: true})
		used[201] = true
	}
	for range g.intn(3) {
		num := 1 + g.intn(199)
		if used[num] {
			continue
		}
		used[num] = true
		e := ACLEntry{Rule: num, Proto: g.proto(), CIDR: pick(g, ipv6CIDRs), Allow: g.chance(0.6)}
		if e.Proto == "icmp" {
			e.Proto = "icmpv6"
		}
		if e.Proto != "all" {
			e.Ports = g.portsFor(e.Proto)
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b ACLEntry) int { return a.Rule - b.Rule })
	return out
}

// yamlCIDR quotes an IPv6 CIDR for YAML.
func yamlCIDR(c string) string {
	if strings.Contains(c, ":") {
		return strconv.Quote(c)
	}
	return c
}

// probes6 makes up to n probes over IPv6, from a random stream of their
// own: from the internet, the instances and the tasks to the IPv6
// addresses of the instances and awsvpc tasks (half of them to a port
// something listens on), to an address of a subnet's /64 no one holds, to
// an IPv6 internet host, to a dualstack load balancer by name; a quarter
// of them pings (ICMPv6 echo requests).
func probes6(x *index, seed uint64, n int, froms, nodes []string, portPool []int, have []Probe) []Probe {
	var v6nodes []string
	for _, name := range nodes {
		if e := x.eni(name); e != nil && len(e.IPv6) > 0 && x.nats[name] == nil {
			v6nodes = append(v6nodes, name)
		}
	}
	var lbs []*model.LoadBalancer
	for _, lb := range x.st.LoadBalancers {
		if (lb.Type == "application" || lb.Type == "network") && strings.HasPrefix(lb.IPAddressType, "dualstack") && len(lb.Nodes) > 0 {
			lbs = append(lbs, lb)
		}
	}
	slices.SortFunc(lbs, func(a, b *model.LoadBalancer) int { return strings.Compare(a.Name, b.Name) })
	if len(v6nodes) == 0 && len(lbs) == 0 {
		return nil
	}
	var subnets []netip.Prefix
	for _, sn := range x.st.Subnets {
		if len(sn.IPv6) > 0 {
			subnets = append(subnets, sn.IPv6[0].CIDR)
		}
	}
	slices.SortFunc(subnets, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	r := rand.New(rand.NewPCG(seed, 0x1b6))
	var out []Probe
	for tries := 0; len(out) < n && tries < n*20; tries++ {
		p := Probe{From: froms[r.IntN(len(froms))], Proto: model.TCP}
		ping := r.Float64() < 0.25
		switch k := r.Float64(); {
		case len(lbs) > 0 && k < 0.2:
			lb := lbs[r.IntN(len(lbs))]
			if e := x.eni(p.From); p.From != "internet" && (e == nil || len(e.IPv6) == 0) {
				// A client without an IPv6 address has no IPv6 packet
				// for the analyzer to follow to a load balancer by name.
				continue
			}
			p.To = Dest{Node: lb.Name, LB: true, V6: true}
			if ls := x.lbPorts(lb); len(ls) > 0 && r.Float64() < 0.8 {
				p.Port = ls[r.IntN(len(ls))]
			} else {
				p.Port = 80
			}
			ping = false
		case k < 0.8 && len(v6nodes) > 0:
			p.To = Dest{Node: v6nodes[r.IntN(len(v6nodes))], V6: true}
		case k < 0.9 && len(subnets) > 0:
			p.To = Dest{Addr: addrAt(subnets[r.IntN(len(subnets))], 200)}
		default:
			if p.From == "internet" {
				continue
			}
			p.To = Dest{Addr: netip.MustParseAddr("2001:db8::10")}
			p.Port = 443
		}
		switch {
		case ping:
			p.Proto, p.Port = model.ICMP, 0
		case p.Port != 0:
		default:
			ls := x.listening(p.To.Node)
			if len(ls) > 0 && r.Float64() < 0.5 {
				l := ls[r.IntN(len(ls))]
				if l.task != "" {
					continue // a bridge task's host port: IPv4 only (docker0 has no IPv6)
				}
				p.Port, p.Proto = l.port, l.proto
			} else {
				p.Port = uint16(portPool[r.IntN(len(portPool))])
				if r.Float64() < 0.15 {
					p.Proto = model.UDP
				}
			}
		}
		if _, ok := p.resolve(x); !ok {
			continue
		}
		if p.From == p.To.Node || slices.Contains(out, p) || slices.Contains(have, p) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// nlbsIPv6 makes, in a dual-stack system, an internet-facing Network
// Load Balancer whose subnets all have a /64 dualstack (two in three),
// its listeners to ip targets often forward to ipv6 target groups (the
// tasks registered by their IPv6 addresses; UDP and TCP_UDP ones too,
// which an IPv4 client reaches translated), its group usually admits the
// IPv6 clients of its TCP and TLS listeners, and the targets' groups
// sometimes admit IPv6 sources (the node's IPv6 address, which an IPv4
// client of an ipv6 group arrives from). IPv6 clients are probed over
// TCP only (UDP over IPv6 through an NLB needs a source NAT prefix the
// analyzer does not follow). It draws from r, a stream of its own.
func (g *gen) nlbsIPv6(r *rand.Rand) {
	saved := g.r
	g.r = r
	defer func() { g.r = saved }()
	sgs := g.s.sgsByName()
	for _, n := range g.s.NLBs {
		if n.Internal || len(n.Subnets) == 0 || !g.s.dualStackSubnets(n.Subnets) || !g.chance(0.67) {
			continue
		}
		n.DualStack = true
		for i := range n.Listeners {
			l := &n.Listeners[i]
			if l.TargetType == "ip" && g.chance(0.5) {
				l.IPv6 = true
			}
		}
		if len(n.SGs) > 0 && g.chance(0.75) {
			x := sgs[n.SGs[0]]
			for _, l := range n.Listeners {
				if l.Protocol == "TCP" || l.Protocol == "TLS" {
					x.Ingress = addRule(x.Ingress, Rule{Proto: "tcp", Ports: strconv.Itoa(l.Port), CIDR: "::/0"})
				}
			}
		}
		for _, t := range g.s.Tasks {
			if t.Name != n.Service || len(t.SGs) == 0 || !g.chance(0.5) {
				continue
			}
			for _, l := range n.Listeners {
				if !l.IPv6 {
					continue
				}
				for _, proto := range listenerProtos(l.Protocol) {
					sgs[t.SGs[0]].Ingress = addRule(sgs[t.SGs[0]].Ingress, Rule{Proto: proto, Ports: strconv.Itoa(l.TGPort), CIDR: "::/0"})
				}
			}
		}
	}
}

// listenerProtos are the protocols a Network Load Balancer listener
// passes: "udp" for UDP, both for TCP_UDP, else "tcp".
func listenerProtos(protocol string) []string {
	switch protocol {
	case "UDP":
		return []string{"udp"}
	case "TCP_UDP":
		return []string{"tcp", "udp"}
	}
	return []string{"tcp"}
}

// dualStackSubnets reports whether every subnet named has an IPv6 /64
// (what a dualstack load balancer needs).
func (s *System) dualStackSubnets(names []string) bool {
	for _, name := range names {
		i := slices.IndexFunc(s.Subnets, func(sn *Subnet) bool { return sn.Name == name })
		if i < 0 || s.Subnets[i].IPv6 == "" {
			return false
		}
		if v := s.Subnets[i].VPC; v == "" || !slices.ContainsFunc(s.VPCs, func(x *VPC) bool { return x.Name == v && x.IPv6 }) {
			return false
		}
	}
	return true
}

// nlbDualStack reports whether a Network Load Balancer renders as
// dualstack: generated so, and its subnets (those the shrinker left)
// still have their /64s.
func (s *System) nlbDualStack(n *NLB) bool {
	subs := slices.DeleteFunc(slices.Clone(n.Subnets), func(x string) bool { return s.vpcOfSubnet(x) == "" })
	return n.DualStack && len(subs) > 0 && s.dualStackSubnets(subs)
}

// nat64 gives, in about half the systems with a dual-stack VPC that has
// a NAT gateway, from a stream of its own (the other systems stay what
// they were), that VPC an IPv6-only subnet (DNS64 on in most) whose
// route table sends 64:ff9b::/96 to one of the VPC's NAT gateways
// (public or private, deleted or not) in most and sometimes ::/0 to the
// internet or egress-only gateway, and an instance there (not of the
// cluster), whose probes to IPv4 addresses go through DNS64 and NAT64.
func (g *gen) nat64(r *rand.Rand) {
	if r.Float64() >= 0.5 {
		return
	}
	saved := g.r
	g.r = r
	defer func() { g.r = saved }()
	for vi, v := range g.s.VPCs {
		var nats []string
		for _, n := range g.s.NATs {
			if g.vpcOf(n.Subnet) == v {
				nats = append(nats, n.Name)
			}
		}
		if !v.IPv6 || v.Egress || len(nats) == 0 {
			continue
		}
		var sgs []string
		for _, sg := range g.sgsIn(v.Name) {
			sgs = append(sgs, sg.Name)
		}
		if len(sgs) == 0 {
			continue
		}
		rt := &RouteTable{Name: "rt64v" + strconv.Itoa(vi), VPC: v.Name}
		if g.chance(0.85) {
			rt.Routes = append(rt.Routes, Route{"64:ff9b::/96", pick(g, nats)})
		}
		if g.chance(0.4) {
			var targets []string
			for _, t := range []string{v.IGW, v.EIGW} {
				if t != "" {
					targets = append(targets, t)
				}
			}
			if len(targets) > 0 {
				rt.Routes = append(rt.Routes, Route{"::/0", pick(g, targets)})
			}
		}
		g.s.RouteTables = append(g.s.RouteTables, rt)
		az := "us-east-1a"
		for _, sn := range g.s.Subnets {
			if sn.VPC == v.Name {
				az = sn.AZ
				break
			}
		}
		sn := &Subnet{Name: "v6only" + strconv.Itoa(vi), VPC: v.Name, AZ: az, RouteTable: rt.Name, IPv6: strconv.Itoa(200 + vi), IPv6Only: true, DNS64: g.chance(0.85)}
		g.s.Subnets = append(g.s.Subnets, sn)
		g.s.Instances = append(g.s.Instances, &Instance{Name: "v6i" + strconv.Itoa(vi), Subnet: sn.Name, SGs: []string{pick(g, sgs)}, NoCluster: true})
	}
}
