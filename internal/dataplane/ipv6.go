package dataplane

import (
	"net/netip"
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// IPv6 in the data plane (docs/dataplane.md, "IPv6"): when a VPC of the
// system has an IPv6 block, every namespace runs with IPv6 on, each ENI
// gets its IPv6 addresses beside its IPv4 ones, the VPC router its
// subnets' /64s and the route tables' IPv6 routes, the internet gateway
// forwards IPv6 untranslated both ways, an egress-only internet gateway
// forwards it out and only the replies back in, and the security groups
// and network ACLs match IPv6 addresses in the same nftables tables.

// transit6 returns the two addresses of the IPv6 transit link numbered n
// of a kind (0: VPC router to internet gateway, 1: internet gateway to
// the internet, 2: VPC router to egress-only gateway, 3: egress-only
// gateway to the internet, 4: the two routers of a peering connection),
// in the unique local prefix fd00:ec5e::/32,
// which no VPC or internet host uses.
func transit6(kind, n int) (netip.Addr, netip.Addr) {
	b := netip.MustParseAddr("fd00:ec5e::").As16()
	b[4], b[5] = byte(kind>>8), byte(kind)
	b[6], b[7] = byte(n>>8), byte(n)
	a := netip.AddrFrom16(b)
	return a.Next(), a.Next().Next()
}

// transit6Bits is the prefix length of an IPv6 transit link.
const transit6Bits = 64

// enableIPv6 turns IPv6 on in a namespace: no duplicate address detection
// (it would hold every new address back for a second), no router
// advertisements (the routes are the plan's).
func (pl *planner) enableIPv6(ns string) {
	for _, k := range []string{"all", "default"} {
		pl.p.Sysctls = append(pl.p.Sysctls,
			Sysctl{NS: ns, Key: "net/ipv6/conf/" + k + "/disable_ipv6", Value: "0"},
			Sysctl{NS: ns, Key: "net/ipv6/conf/" + k + "/accept_dad", Value: "0"},
			Sysctl{NS: ns, Key: "net/ipv6/conf/" + k + "/accept_ra", Value: "0"},
			Sysctl{NS: ns, Key: "net/ipv6/conf/" + k + "/autoconf", Value: "0"})
	}
}

// subnetIPv6 returns a subnet's IPv6 /64, if it has one and the data
// plane builds the subnet (it has an IPv4 CIDR: IPv6-only subnets are
// not built).
func subnetIPv6(s *model.Subnet) (netip.Prefix, bool) {
	if len(s.IPv6) == 0 || !s.IPv6[0].CIDR.IsValid() || !s.IPv6[0].CIDR.Addr().Is6() {
		return netip.Prefix{}, false
	}
	return s.IPv6[0].CIDR.Masked(), true
}

// attachIPv6 gives ENI e (device dev, the i-th of its holder's) its IPv6
// addresses with its subnet's /64, and a default route through the
// subnet's IPv6 router (base+1) from the first ENI that has one; with
// several ENIs, each answers from its own addresses (source routing, as
// for IPv4).
func (pl *planner) attachIPv6(ns, dev string, e *model.NetworkInterface, sub *model.Subnet, i int, multi bool) {
	c, ok := subnetIPv6(sub)
	if !pl.v6 || !ok || len(e.IPv6) == 0 {
		return
	}
	gw := c.Addr().Next()
	for _, a := range e.IPv6 {
		pl.addr(ns, dev, netip.PrefixFrom(a, c.Bits()))
	}
	def := netip.MustParsePrefix("::/0")
	if !slices.ContainsFunc(pl.p.Routes, func(r Route) bool { return r.NS == ns && r.Table == 0 && r.Dst == def }) {
		pl.route(Route{NS: ns, Dst: def, Via: gw, Dev: dev})
	}
	if multi {
		tbl := 100 + i
		pl.route(Route{NS: ns, Table: tbl, Dst: def, Via: gw, Dev: dev})
		pl.route(Route{NS: ns, Table: tbl, Dst: c, Dev: dev})
		for _, a := range e.IPv6 {
			pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, Priority: 100, Src: netip.PrefixFrom(a, 128), Table: tbl})
		}
	}
}

// routeTo6 turns one IPv6 route into a kernel route: to the internet
// gateway's or the egress-only gateway's link, to an ENI by its IPv6
// address, to the other router of an active peering connection, else a
// blackhole (a NAT gateway does not forward IPv6; IPv6 through transit
// gateways, virtual private gateways and endpoints is not built).
func (pl *planner) routeTo6(v *model.VPC, ns string, tbl int, d netip.Prefix, r model.Route) Route {
	out := Route{NS: ns, Table: tbl, Dst: d, Blackhole: true}
	if pl.st.RouteStateIn(v.ID, r) != "active" {
		return out
	}
	via := func(id model.NetworkInterfaceID) Route {
		e, br, ok := pl.eniBridge(v, id)
		if !ok {
			return out
		}
		a, has := e.PrimaryIPv6()
		if !has {
			return out
		}
		return Route{NS: ns, Table: tbl, Dst: d, Via: a, Dev: br}
	}
	switch r.Target {
	case model.TargetInternetGateway:
		g := pl.st.InternetGateways[model.InternetGatewayID(r.TargetID)]
		if g != nil && g.VpcID == v.ID && pl.st.VpcInternetGateway(v.ID) != nil {
			_, igwSide := transit6(0, pl.vpcIndex[v.ID])
			return Route{NS: ns, Table: tbl, Dst: d, Via: igwSide, Dev: "igw"}
		}
	case model.TargetEgressOnlyIGW:
		g := pl.st.EgressOnlyIGWs[model.EgressOnlyIGWID(r.TargetID)]
		if g != nil && g.VpcID == v.ID {
			_, eigwSide := transit6(2, pl.vpcIndex[v.ID])
			return Route{NS: ns, Table: tbl, Dst: d, Via: eigwSide, Dev: "eigw"}
		}
	case model.TargetNatGateway:
		// NAT64 (nat64.go): the gateway's translator takes 64:ff9b::/96.
		if x, ok := pl.nat64Via[model.NatGatewayID(r.TargetID)]; ok && nat64Prefix.Contains(d.Addr()) && d.Bits() >= nat64Prefix.Bits() {
			return Route{NS: ns, Table: tbl, Dst: d, Via: x.Via, Dev: x.Dev}
		}
	case model.TargetNetworkInterface:
		return via(model.NetworkInterfaceID(r.TargetID))
	case model.TargetInstance:
		if i := pl.st.Instances[model.InstanceID(r.TargetID)]; i != nil {
			return via(i.PrimaryENI)
		}
	case model.TargetVpcPeering:
		// An active peering connection carries IPv6 between dual-stack
		// VPCs (vpc-peering-routing.md: "if the VPCs in the VPC peering
		// connection have associated IPv6 CIDR blocks, you can add
		// routes that enable communication with the peer VPC over
		// IPv6"); the peer's router delivers only to its own subnets.
		if l, ok := pl.peerLinks[peerKey{model.VpcPeeringConnectionID(r.TargetID), v.ID}]; ok && l.via6.IsValid() {
			return Route{NS: ns, Table: tbl, Dst: d, Via: l.via6, Dev: l.dev}
		}
	}
	return out
}

// vpcIPv6 returns a VPC's IPv6 blocks.
func vpcIPv6(v *model.VPC) []netip.Prefix {
	var out []netip.Prefix
	for _, b := range v.IPv6 {
		if b.CIDR.IsValid() && b.CIDR.Addr().Is6() {
			out = append(out, b.CIDR.Masked())
		}
	}
	return out
}

// igwIPv6 adds the internet gateway's IPv6 side (namespace ns, VPC index
// k): transit addresses, routes to the VPC's IPv6 blocks and to the
// internet, and forwarding rules: no translation (IPv6 addresses are
// global), from the internet to the VPC's blocks and from them out.
func (pl *planner) igwIPv6(v *model.VPC, ns string, k int, fwd *Chain) {
	blocks := vpcIPv6(v)
	if !pl.v6 || len(blocks) == 0 {
		return
	}
	vpcSide, igwSide := transit6(0, k)
	igwOut, inetSide := transit6(1, k)
	pl.addr(pl.vpcNS[v.ID], "igw", netip.PrefixFrom(vpcSide, transit6Bits))
	pl.addr(ns, "vpc", netip.PrefixFrom(igwSide, transit6Bits))
	pl.addr(ns, "inet", netip.PrefixFrom(igwOut, transit6Bits))
	pl.addr(pl.p.Nodes["internet"], "g"+strconv.Itoa(k), netip.PrefixFrom(inetSide, transit6Bits))
	for _, b := range blocks {
		pl.route(Route{NS: ns, Dst: b, Via: vpcSide, Dev: "vpc"})
	}
	pl.route(Route{NS: ns, Dst: netip.MustParsePrefix("::/0"), Via: inetSide, Dev: "inet"})
	fwd.Rules = append(fwd.Rules,
		Rule{IIf: "inet", Dst: blocks, Verdict: Verdict{Kind: "accept"}, Comment: "IPv6 to the VPC: untranslated"},
		Rule{IIf: "vpc", Src: blocks, Verdict: Verdict{Kind: "accept"}, Comment: "IPv6 from the VPC: untranslated"})
}

// egressOnlyGateway: the VPC's egress-only internet gateway, a namespace
// between the VPC router and the internet that forwards the VPC's IPv6
// out and lets in only the packets of connections conntrack saw start
// inside (egress-only-internet-gateway.md: it "prevents the internet from
// initiating an IPv6 connection with your instances"). A reply to a
// connection the internet started (through the internet gateway) is of
// no connection the gateway knows: a TCP SYN-ACK or an ICMPv6 echo reply
// is invalid to conntrack and dropped.
func (pl *planner) egressOnlyGateway(v *model.VPC) {
	g := pl.st.VpcEgressOnlyIGW(v.ID)
	blocks := vpcIPv6(v)
	if g == nil || !pl.v6 || len(blocks) == 0 {
		return
	}
	k := pl.vpcIndex[v.ID]
	pl.eigwK[v.ID] = k
	vpcSide, eigwSide := transit6(2, k)
	eigwOut, inetSide := transit6(3, k)
	ns := pl.ns("x", "eigw", string(g.ID))
	pl.p.Nodes[string(g.ID)] = ns
	pl.sysctl(ns, "net/ipv4/ip_forward", "1")
	vns := pl.vpcNS[v.ID]
	inet := pl.p.Nodes["internet"]
	pl.veth(vns, "eigw", ns, "vpc", "")
	pl.veth(ns, "inet", inet, "x"+strconv.Itoa(k), "")
	pl.addr(vns, "eigw", netip.PrefixFrom(vpcSide, transit6Bits))
	pl.addr(ns, "vpc", netip.PrefixFrom(eigwSide, transit6Bits))
	pl.addr(ns, "inet", netip.PrefixFrom(eigwOut, transit6Bits))
	pl.addr(inet, "x"+strconv.Itoa(k), netip.PrefixFrom(inetSide, transit6Bits))
	for _, b := range blocks {
		pl.route(Route{NS: ns, Dst: b, Via: vpcSide, Dev: "vpc"})
	}
	pl.route(Route{NS: ns, Dst: netip.MustParsePrefix("::/0"), Via: inetSide, Dev: "inet"})
	rules := []Rule{
		{IIf: "inet", CtEstablished: true, Verdict: Verdict{Kind: "accept"}, Comment: "replies to connections started inside"},
		{IIf: "inet", Verdict: Verdict{Kind: "drop"}, Comment: "the internet starts no connection"},
		{IIf: "vpc", CtInvalid: true, Proto: model.TCP, TCPMidFlow: true, Verdict: Verdict{Kind: "accept"}, Comment: "the client's ACK and data of a connection it started through the gateway whose SYN-ACK came back another way (across a peering connection): outbound traffic, forwarded"},
		{CtInvalid: true, Verdict: Verdict{Kind: "drop"}, Comment: "a reply to a connection the gateway never saw start"},
	}
	rules = append(rules, pl.bpaRules(v, true)...) // bpa.go
	rules = append(rules, port25Rule())            // smtp25.go
	rules = append(rules,
		Rule{IIf: "vpc", Src: blocks, Verdict: Verdict{Kind: "accept"}, Comment: "IPv6 out"},
		Rule{Verdict: Verdict{Kind: "drop"}})
	pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "eigw", Chains: []Chain{{
		Name: "fwd", Hook: "forward", Type: "filter", Priority: 0, Rules: rules}}})
}

// routeInternet6 routes each VPC's IPv6 blocks from the internet to its
// internet gateway (or, without one, its egress-only gateway, which lets
// only replies in), and returns the prefixes the internet's catch-all
// must leave alone: the system's blocks and addresses no internet host
// has. In a VPC with both gateways, the replies to the connections that
// came out of the egress-only gateway go back through it, not through
// the internet gateway (which never saw them start): the egress-only
// gateway "sends the response back to the instances"
// (egress-only-internet-gateway.md), and a gateway that misses the
// replies drops the rest of the connection.
func (pl *planner) routeInternet6() []netip.Prefix {
	if !pl.v6 {
		return nil
	}
	inet := pl.p.Nodes["internet"]
	var keep []netip.Prefix
	for _, v := range sorted(pl.st.VPCs, func(v *model.VPC) string { return string(v.ID) }) {
		blocks := vpcIPv6(v)
		keep = append(keep, blocks...)
		k := pl.vpcIndex[v.ID]
		var via netip.Addr
		dev := ""
		if _, ok := pl.igwNS[v.ID]; ok {
			via, _ = transit6(1, k)
			dev = "g" + strconv.Itoa(k)
		} else if _, ok := pl.eigwK[v.ID]; ok {
			via, _ = transit6(3, k)
			dev = "x" + strconv.Itoa(k)
		}
		if dev == "" {
			continue
		}
		for _, b := range blocks {
			pl.route(Route{NS: inet, Dst: b, Via: via, Dev: dev, Src: internetClientV6})
		}
		if _, ok := pl.eigwK[v.ID]; ok && dev != "x"+strconv.Itoa(k) && len(blocks) > 0 {
			back, _ := transit6(3, k)
			pl.returnVia(inet, "x"+strconv.Itoa(k), "", nil, blocks, back, netip.Addr{}, "replies to "+string(v.ID)+"'s egress-only gateway go back through it")
		}
	}
	// 64:ff9b::/96 is NAT64's well-known prefix, which RFC 6052 keeps
	// off the global routing table: no internet host answers there (only
	// a NAT gateway's NAT64, nat64.go).
	for _, p := range []string{"fc00::/7", "fe80::/10", "ff00::/8", "::/127", "::ffff:0:0/96", "64:ff9b::/96"} {
		keep = append(keep, netip.MustParsePrefix(p))
	}
	return keep
}

// passNDP lets IPv6 neighbour discovery through every filtering chain:
// AWS's VPC router answers it outside security groups and network ACLs,
// and without it no IPv6 packet finds its next hop.
func (pl *planner) passNDP() {
	for i := range pl.p.Tables {
		for j := range pl.p.Tables[i].Chains {
			c := &pl.p.Tables[i].Chains[j]
			if c.Hook == "" || c.Type == "nat" {
				continue
			}
			c.Rules = append([]Rule{{NDP: true, Verdict: Verdict{Kind: "accept"}, Comment: "IPv6 neighbour discovery"}}, c.Rules...)
		}
	}
}
