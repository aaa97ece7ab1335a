package dataplane

import (
	"net/netip"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// rnatTransitBase is the first transit number of the regional NAT
// gateways' links: each gateway j has 2j (to its VPC's router) and 2j+1
// (to its VPC's internet gateway).
const rnatTransitBase = 12288

// regionalNATLink is a regional NAT gateway's namespace and the router's
// side of its link.
type regionalNATLink struct {
	ns, dev string     // the gateway's namespace; the router's device
	via     netip.Addr // the gateway's address on the link
	k       int        // its number (transit rnatTransitBase+2k, +2k+1)
}

// regionalNATs builds each live regional NAT gateway (AvailabilityMode
// regional, docs/aws-behavior.md, "Regional NAT gateways"): a gateway of
// its VPC in no subnet, so a namespace of its own linked to the VPC's
// router (device r<k>) rather than an ENI on a bridge. A route to it
// leads to that link from every zone's subnets, whatever route table they
// share; the gateway tells the zones apart by the packet's source: it
// translates what comes from a subnet of a zone it has an address in to
// that address (the zone's first, model.NatGateway.ZoneAddress) and drops
// what comes from any other zone (a timeout, as the analyzer's
// ECS_REGIONAL_NAT_ZONE_NOT_SERVED), so no per-zone routing is needed in
// the router. It sends what it translates straight to the VPC's internet
// gateway (its own route table's route to the internet gateway, which
// AWS creates with it; linked in regionalNATGateway), and accepts no
// connection of its own, as a zonal gateway.
func (pl *planner) regionalNATs() {
	pl.rnat = map[model.NatGatewayID]regionalNATLink{}
	for _, ng := range sorted(pl.st.NatGateways, func(g *model.NatGateway) string { return string(g.ID) }) {
		vns := pl.vpcNS[ng.VpcID]
		v := pl.st.VPCs[ng.VpcID]
		if !ng.Regional() || vns == "" || v == nil || (ng.State != "available" && ng.State != "pending") {
			continue
		}
		k := len(pl.rnat)
		l := regionalNATLink{ns: pl.ns("n", "nat", string(ng.ID)), dev: "r" + strconv.Itoa(k), k: k}
		vpcSide, natSide := transit(rnatTransitBase + 2*k)
		l.via = natSide
		pl.rnat[ng.ID] = l
		pl.p.Nodes[string(ng.ID)] = l.ns
		pl.sysctl(l.ns, "net/ipv4/ip_forward", "1")
		pl.veth(vns, l.dev, l.ns, "vpc", "")
		pl.addr(vns, l.dev, netip.PrefixFrom(vpcSide, 30))
		pl.addr(l.ns, "vpc", netip.PrefixFrom(natSide, 30))
		for _, c := range v.CIDRs() {
			pl.route(Route{NS: l.ns, Dst: c.Masked(), Via: vpcSide, Dev: "vpc"})
		}
		fwd := Chain{Name: "fwd", Hook: "forward", Type: "filter", Priority: 0, Rules: []Rule{
			{CtEstablished: true, Verdict: Verdict{Kind: "accept"}},
			{CtInvalid: true, Verdict: Verdict{Kind: "drop"}, Comment: "no connection of this gateway"},
			port25Rule(), // smtp25.go: the gateway's traffic never meets the internet gateway's "vpc" link
		}}
		post := Chain{Name: "post", Hook: "postrouting", Type: "nat", Priority: 100}
		for _, zone := range natZones(ng) {
			za, _ := ng.ZoneAddress(zone)
			src := zonePrefixes(pl.st, v.ID, zone)
			if len(src) == 0 || !za.PublicIP.IsValid() {
				continue
			}
			fwd.Rules = append(fwd.Rules, Rule{IIf: "vpc", OIf: "igw", Src: src, Verdict: Verdict{Kind: "accept"}, Comment: "a zone the gateway serves: " + zone})
			post.Rules = append(post.Rules, Rule{OIf: "igw", Src: src, Verdict: Verdict{Kind: "snat", Addr: za.PublicIP}, Comment: "source NAT to the gateway's address in " + zone})
		}
		fwd.Rules = append(fwd.Rules, Rule{Verdict: Verdict{Kind: "drop"}, Comment: "a zone the gateway has no address in, or a connection from outside the VPC"})
		pl.p.Tables = append(pl.p.Tables, Table{NS: l.ns, Name: "nat", Chains: []Chain{
			{Name: "in", Hook: "input", Type: "filter", Priority: 0, Rules: []Rule{
				{CtEstablished: true, Verdict: Verdict{Kind: "accept"}},
				{Verdict: Verdict{Kind: "drop"}, Comment: "a NAT gateway accepts no connection"},
			}},
			fwd, post,
		}})
	}
}

// regionalNATGateway links each regional NAT gateway of VPC v to the
// VPC's internet gateway (namespace igwNS): the gateway's default route
// leads there, the internet gateway routes the gateway's addresses back
// to it and lets out what comes from them, and the internet routes them
// to the internet gateway. A VPC without an internet gateway leaves its
// regional gateways without a default route: what they would translate
// is dropped (the analyzer's no-route, CANNOT_ROUTE).
func (pl *planner) regionalNATGateway(v *model.VPC, igwNS string, fwd *Chain) {
	for _, ng := range sorted(pl.st.NatGateways, func(g *model.NatGateway) string { return string(g.ID) }) {
		l, ok := pl.rnat[ng.ID]
		if !ok || ng.VpcID != v.ID {
			continue
		}
		igwSide, natSide := transit(rnatTransitBase + 2*l.k + 1)
		pl.veth(igwNS, l.dev, l.ns, "igw", "")
		pl.addr(igwNS, l.dev, netip.PrefixFrom(igwSide, 30))
		pl.addr(l.ns, "igw", netip.PrefixFrom(natSide, 30))
		pl.route(Route{NS: l.ns, Dst: netip.MustParsePrefix("0.0.0.0/0"), Via: igwSide, Dev: "igw"})
		var pubs []netip.Prefix
		for _, zone := range natZones(ng) {
			za, _ := ng.ZoneAddress(zone)
			if !za.PublicIP.IsValid() {
				continue
			}
			p := netip.PrefixFrom(za.PublicIP, 32)
			pubs = append(pubs, p)
			pl.route(Route{NS: igwNS, Dst: p, Via: natSide, Dev: l.dev})
			pl.internetRoutes[za.PublicIP] = v.ID
		}
		if len(pubs) > 0 {
			fwd.Rules = append(fwd.Rules, Rule{IIf: l.dev, Src: pubs, Verdict: Verdict{Kind: "accept"}, Comment: "regional NAT gateway " + string(ng.ID) + "'s addresses"})
		}
	}
}

// natZones are the zones a regional NAT gateway has addresses in, each
// once, in the order of its addresses.
func natZones(ng *model.NatGateway) []string {
	var zs []string
	seen := map[string]bool{}
	for _, a := range ng.ZoneAddresses {
		if !seen[a.Zone] {
			seen[a.Zone] = true
			zs = append(zs, a.Zone)
		}
	}
	return zs
}

// zonePrefixes are the IPv4 CIDR blocks of VPC vpc's subnets in zone.
func zonePrefixes(st *model.State, vpc model.VpcID, zone string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range vpcSubnets(st, vpc) {
		if s.AvailabilityZone == zone && s.CIDR.IsValid() {
			out = append(out, s.CIDR.Masked())
		}
	}
	return out
}
