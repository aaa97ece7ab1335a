package dataplane

import (
	"net/netip"
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Transit gateways: a namespace per gateway, a veth from it to the router
// of each VPC attached to it (one per available VPC attachment), and a
// kernel table per transit gateway route table. What enters the gateway
// from an attachment is looked up in the table the attachment is
// associated with (none: dropped); a route to an attachment leads to that
// VPC's router, a blackhole route (or one whose attachment is gone)
// drops, and what no route matches is dropped. The VPC router routes what
// comes from the gateway by its subnets first (tgwInTable); what is for
// no address of the VPC (centralized egress: the gateway hands the
// spokes' internet traffic to an egress VPC) goes on by the route table
// of the attachment subnet in the sender's zone (tgwEgressRules).

const (
	tgwInTable     = 240  // a VPC router's table for what arrives from a transit gateway
	tgwTransitBase = 8192 // transit numbers of the attachment links
)

// tgwLink is a VPC attachment's link: dev in the VPC router, tgwDev in
// the gateway's namespace, and the two addresses.
type tgwLink struct {
	att            *model.TransitGatewayAttachment
	tgwNS          string
	dev, tgwDev    string
	vpcAddr, tgwIP netip.Addr
}

// transitGateways builds every transit gateway and its VPC attachments'
// links (after the VPC routers exist).
func (pl *planner) transitGateways() {
	st := pl.st
	if pl.tgwLinks == nil {
		pl.tgwLinks = map[model.TransitGatewayAttachmentID]tgwLink{}
	}
	atts := sorted(st.TransitGatewayAttachments, func(a *model.TransitGatewayAttachment) string { return string(a.ID) })
	for _, g := range sorted(st.TransitGateways, func(g *model.TransitGateway) string { return string(g.ID) }) {
		if g.State != "available" {
			continue
		}
		ns := pl.ns("tgw", "tgw", string(g.ID))
		pl.sysctl(ns, "net/ipv4/ip_forward", "1")
		for _, a := range atts {
			vns := pl.vpcNS[a.VpcID]
			if a.TransitGatewayID != g.ID || a.ResourceType != model.TGWAttachVPC || a.State != "available" || vns == "" {
				continue
			}
			i := len(pl.tgwLinks)
			l := tgwLink{att: a, tgwNS: ns, dev: "t" + strconv.Itoa(i), tgwDev: "a" + strconv.Itoa(i)}
			l.vpcAddr, l.tgwIP = transit(tgwTransitBase + i)
			pl.veth(vns, l.dev, ns, l.tgwDev, "")
			pl.addr(vns, l.dev, netip.PrefixFrom(l.vpcAddr, 30))
			pl.addr(ns, l.tgwDev, netip.PrefixFrom(l.tgwIP, 30))
			pl.tgwLinks[a.ID] = l
			// The VPC router: what comes from the gateway goes to the
			// VPC's subnets, nowhere else.
			pl.p.Rules = append(pl.p.Rules,
				PolicyRule{NS: vns, Priority: 900 + i, IIf: l.dev, Table: tgwInTable},
				PolicyRule{NS: vns, Priority: 4900 + i, IIf: l.dev, Blackhole: true})
		}
		// One kernel table per route table of the gateway.
		tables := map[model.TransitGatewayRouteTableID]int{}
		for _, rt := range sorted(st.TransitGatewayRouteTables, func(r *model.TransitGatewayRouteTable) string { return string(r.ID) }) {
			if rt.TransitGatewayID != g.ID {
				continue
			}
			tbl := rtTableBase + len(tables)
			tables[rt.ID] = tbl
			for _, r := range st.TGWRoutes(rt.ID) {
				if !r.Destination.IsValid() || !r.Destination.Addr().Is4() {
					continue
				}
				kr := Route{NS: ns, Table: tbl, Dst: r.Destination.Masked(), Blackhole: true}
				if l, ok := pl.tgwLinks[r.Attachment]; ok && r.State == "active" && l.tgwNS == ns {
					kr = Route{NS: ns, Table: tbl, Dst: r.Destination.Masked(), Via: l.vpcAddr, Dev: l.tgwDev}
				}
				pl.route(kr)
			}
		}
		for _, a := range atts {
			l, ok := pl.tgwLinks[a.ID]
			if !ok || l.tgwNS != ns {
				continue
			}
			i, _ := strconv.Atoi(l.tgwDev[1:])
			if tbl, ok := tables[a.Association]; ok {
				pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, Priority: 1000 + i, IIf: l.tgwDev, Table: tbl})
			}
			pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, Priority: 5000 + i, IIf: l.tgwDev, Blackhole: true})
		}
	}
	// Each attached VPC's router: its subnets for what the gateway sends.
	done := map[string]bool{}
	for _, a := range atts {
		_, ok := pl.tgwLinks[a.ID]
		vns := pl.vpcNS[a.VpcID]
		if !ok || done[vns] {
			continue
		}
		done[vns] = true
		v := st.VPCs[a.VpcID]
		for _, c := range v.CIDRs() {
			pl.route(Route{NS: vns, Table: tgwInTable, Dst: c.Masked(), Blackhole: true})
		}
		for _, s := range vpcSubnets(st, a.VpcID) {
			if br, ok := pl.bridge[s.ID]; ok && subnetIPv4(s) {
				pl.route(Route{NS: vns, Table: tgwInTable, Dst: s.CIDR.Masked(), Dev: br})
			}
		}
	}
}

// tgwRoute is a VPC route to transit gateway id: to the gateway's end of
// the VPC's attachment link, or a blackhole when the VPC has no
// available attachment to it.
func (pl *planner) tgwRoute(v *model.VPC, id model.TransitGatewayID) (tgwLink, bool) {
	a := pl.st.VpcTGWAttachment(v.ID, id)
	if a == nil {
		return tgwLink{}, false
	}
	l, ok := pl.tgwLinks[a.ID]
	return l, ok
}

// attachmentSubnet returns the attachment's subnet in zone, or nil.
func (pl *planner) attachmentSubnet(a *model.TransitGatewayAttachment, zone string) *model.Subnet {
	for _, id := range a.SubnetIDs {
		if s := pl.st.Subnets[id]; s != nil && s.AvailabilityZone == zone {
			return s
		}
	}
	return nil
}

// tgwACLRules are the network ACL jumps of the transit gateway links of
// VPC v (after the subnets' own): a packet from a subnet to the gateway
// enters the attachment subnet of its zone (its inbound entries, when it
// is another subnet; a zone without one cannot reach the gateway), and a
// packet from the gateway leaves the attachment subnet of the sender's
// zone (else the destination's, else the first) by its outbound entries
// when that is not the destination's subnet; the destination subnet's
// inbound entries apply in every case (the rules of the bridges).
func (pl *planner) tgwACLRules(v *model.VPC) []Rule {
	var out []Rule
	subs := vpcSubnets(pl.st, v.ID)
	var others []*model.Subnet
	for _, s := range sorted(pl.st.Subnets, func(s *model.Subnet) string { return string(s.ID) }) {
		if s.VpcID != v.ID && s.CIDR.IsValid() && s.CIDR.Addr().Is4() {
			others = append(others, s)
		}
	}
	links := sorted(pl.tgwLinks, func(l tgwLink) string { return l.dev })
	for _, l := range links {
		if l.att.VpcID != v.ID {
			continue
		}
		for _, s := range subs {
			br, ok := pl.bridge[s.ID]
			if !ok {
				continue
			}
			from := pl.attachmentSubnet(l.att, s.AvailabilityZone)
			switch {
			case from == nil:
				out = append(out, Rule{IIf: br, OIf: l.dev, Verdict: Verdict{Kind: "drop"}, Comment: "no attachment subnet in " + s.AvailabilityZone})
			case from.ID != s.ID:
				if fb, ok := pl.bridge[from.ID]; ok {
					out = append(out, Rule{IIf: br, OIf: l.dev, Verdict: Verdict{Kind: "jump", Chain: "in-" + fb}, Comment: "attachment subnet " + string(from.ID)})
				}
			}
		}
		for _, d := range subs {
			dbr, ok := pl.bridge[d.ID]
			if !ok {
				continue
			}
			byExit := map[string][]netip.Prefix{}
			for _, src := range others {
				sub := pl.attachmentSubnet(l.att, src.AvailabilityZone)
				if sub == nil {
					sub = pl.attachmentSubnet(l.att, d.AvailabilityZone)
				}
				if sub == nil && len(l.att.SubnetIDs) > 0 {
					sub = pl.st.Subnets[l.att.SubnetIDs[0]]
				}
				if sub == nil || sub.ID == d.ID {
					continue
				}
				if xbr, ok := pl.bridge[sub.ID]; ok {
					byExit[xbr] = append(byExit[xbr], src.CIDR.Masked())
				}
			}
			exits := make([]string, 0, len(byExit))
			for x := range byExit {
				exits = append(exits, x)
			}
			slices.Sort(exits)
			for _, x := range exits {
				out = append(out, Rule{IIf: l.dev, OIf: dbr, Src: byExit[x], Verdict: Verdict{Kind: "jump", Chain: "out-" + x}, Comment: "attachment subnet out"})
			}
			// A reply from outside every VPC (the internet, through an
			// egress VPC's NAT gateway) leaves the attachment subnet of the
			// NAT gateway's zone, the zone it left the egress VPC in (else
			// the destination's, else the first).
			sub := pl.attachmentSubnet(l.att, pl.egressNATZone(l.att))
			if sub == nil {
				sub = pl.attachmentSubnet(l.att, d.AvailabilityZone)
			}
			if sub == nil && len(l.att.SubnetIDs) > 0 {
				sub = pl.st.Subnets[l.att.SubnetIDs[0]]
			}
			if sub != nil && sub.ID != d.ID {
				if xbr, ok := pl.bridge[sub.ID]; ok {
					out = append(out, Rule{IIf: l.dev, OIf: dbr, Src: outsideVPCs(pl.st), Verdict: Verdict{Kind: "jump", Chain: "out-" + xbr}, Comment: "attachment subnet out (from outside the VPCs)"})
				}
			}
		}
	}
	return out
}

// tgwEgressRules: what the transit gateway hands to VPC v for an address
// outside v (centralized egress to the internet: the spokes' 0.0.0.0/0
// leads to the egress VPC's attachment) goes on by the route table of the
// attachment subnet in the sender's zone, else of the attachment's first
// subnet (tgw-vpc-attachments.md: the gateway keeps the traffic in the
// zone it came from when the attachment has a subnet there; the
// whitepaper "Centralized egress to internet": the attachment subnets'
// route table sends 0.0.0.0/0 to the NAT gateway). The senders are the
// subnets of the other VPCs (the gateway's own lookup, tgwInTable,
// already took v's addresses); tables are v's kernel route tables.
func (pl *planner) tgwEgressRules(v *model.VPC, tables map[model.RouteTableID]int) {
	ns := pl.vpcNS[v.ID]
	var others []*model.Subnet
	for _, s := range sorted(pl.st.Subnets, func(s *model.Subnet) string { return string(s.ID) }) {
		if s.VpcID != v.ID && s.CIDR.IsValid() && s.CIDR.Addr().Is4() {
			others = append(others, s)
		}
	}
	k := 0
	for _, l := range sorted(pl.tgwLinks, func(l tgwLink) string { return l.dev }) {
		if l.att.VpcID != v.ID {
			continue
		}
		pl.applianceModeRules(l, others, tables) // inspection.go
		for _, src := range others {
			sub := pl.attachmentSubnet(l.att, src.AvailabilityZone)
			if sub == nil && len(l.att.SubnetIDs) > 0 {
				sub = pl.st.Subnets[l.att.SubnetIDs[0]]
			}
			if sub == nil {
				continue
			}
			rt := pl.st.SubnetRouteTable(sub.ID)
			if rt == nil {
				continue
			}
			tbl, ok := tables[rt.ID]
			if !ok {
				continue
			}
			pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, Priority: 2000 + k, IIf: l.dev, Src: src.CIDR.Masked(), Table: tbl})
			k++
		}
	}
}

// egressNATZone is the zone of the NAT gateways that can send replies
// from the internet to attachment a's VPC through its transit gateway
// (those of the other VPCs attached to it), when they all share one; ""
// otherwise. A reply a NAT gateway translated back leaves the egress VPC
// by the attachment subnet of the NAT gateway's zone, and the transit
// gateway keeps it in that zone.
func (pl *planner) egressNATZone(a *model.TransitGatewayAttachment) string {
	zone := ""
	for _, g := range sorted(pl.st.NatGateways, func(g *model.NatGateway) string { return string(g.ID) }) {
		if g.VpcID == a.VpcID || (g.State != "available" && g.State != "pending") || pl.st.VpcTGWAttachment(g.VpcID, a.TransitGatewayID) == nil {
			continue
		}
		s := pl.st.Subnets[g.SubnetID]
		if s == nil {
			continue
		}
		if zone != "" && zone != s.AvailabilityZone {
			return ""
		}
		zone = s.AvailabilityZone
	}
	return zone
}

// outsideVPCs are the IPv4 prefixes outside every VPC's CIDR blocks.
func outsideVPCs(st *model.State) []netip.Prefix {
	var in []netip.Prefix
	for _, v := range st.VPCs {
		for _, c := range v.CIDRs() {
			if c.Addr().Is4() {
				in = append(in, c.Masked())
			}
		}
	}
	var out []netip.Prefix
	var walk func(p netip.Prefix)
	walk = func(p netip.Prefix) {
		overlaps := false
		for _, c := range in {
			if c.Bits() <= p.Bits() && c.Contains(p.Addr()) {
				return // inside a VPC
			}
			if p.Overlaps(c) {
				overlaps = true
			}
		}
		if !overlaps {
			out = append(out, p)
			return
		}
		lo := netip.PrefixFrom(p.Addr(), p.Bits()+1)
		hiBytes := p.Addr().As4()
		bit := p.Bits()
		hiBytes[bit/8] |= 0x80 >> (bit % 8)
		walk(lo)
		walk(netip.PrefixFrom(netip.AddrFrom4(hiBytes), p.Bits()+1))
	}
	walk(netip.MustParsePrefix("0.0.0.0/0"))
	return out
}

// onPremLink gives a VPC with a virtual private gateway, once, the
// namespace that stands in for the on-premises network behind the
// gateway's VPN connections: every address answers there on every port,
// as the analyzer assumes of an on-premises host, and replies come back
// to the VPC router, which delivers them by its subnets. It returns the
// transit number of the link.
func (pl *planner) onPremLink(v *model.VPC) int {
	return pl.answerLink(v, standIn{
		k: 3*len(pl.vpcIndex) + pl.vpcIndex[v.ID], seen: pl.onPremNS,
		prefix: "op", name: "onprem", dev: "vgw",
		comment:  "every on-premises host answers",
		identity: "on-premises (VPN)",
	})
}
