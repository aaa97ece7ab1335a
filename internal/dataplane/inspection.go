package dataplane

import (
	"net/netip"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Inspection: appliance instances and inspection VPCs behind a transit
// gateway, as the analyzer follows them (reach/inspection.go).
//
// An instance with an interface whose source/destination check is off is
// an appliance: its namespace forwards (what comes in on such an
// interface and leaves by one), as a stateful firewall: conntrack tracks
// each flow, and a packet conntrack cannot place (a SYN-ACK, a reset or
// an echo reply whose request it never saw) is dropped. What it forwards
// from its own VPC to a public address it translates to its own private
// address, as a NAT instance does (the analyzer's NAT instance, for a
// route of the sender's own VPC: VPC_NAT_Instance.html); what a transit
// gateway brought from another VPC it forwards unchanged, as the
// analyzer's inspection VPC does. An
// interface with the check on forwards nothing (EC2 drops every packet
// whose source or destination is not the interface's own).
//
// An inspection VPC's attachment with appliance mode on: the transit
// gateway hands both directions of a flow to the attachment subnet of
// one zone ("Appliance mode", Transit Gateway guide), the one the request
// entered in (the analyzer's [choice]). The VPC router marks each
// connection the gateway hands it with the attachment subnet of the
// sender's zone (conntrack, original direction) and routes every packet
// of it from the gateway, its reply's too, by that subnet's route table.
// Without appliance mode each packet goes by the attachment subnet of its
// own sender's zone (tgwEgressRules), so a reply between zones reaches the
// other zone's appliance, which drops it.

// applianceMarkBase numbers the connection marks of appliance mode in a
// VPC router (below nlbMarkBase, the return paths').
const applianceMarkBase = 0x0a770000

// applianceDevs returns the devices of an instance's interfaces (attached
// in its namespace) with the check off and on; off empty: no appliance.
func (pl *planner) applianceDevs(enis []*model.NetworkInterface) (off, on []string) {
	for _, e := range enis {
		dev, ok := pl.eniDev[e.ID]
		if !ok {
			continue
		}
		if e.SourceDestCheck {
			on = append(on, dev)
		} else {
			off = append(off, dev)
		}
	}
	return off, on
}

// appliance makes instance namespace ns, whose interfaces are enis,
// forward as an appliance when one of them has the check off.
func (pl *planner) appliance(ns string, enis []*model.NetworkInterface) {
	off, on := pl.applianceDevs(enis)
	if len(off) == 0 {
		return
	}
	pl.appliances[ns] = true
	pl.sysctl(ns, "net/ipv4/ip_forward", "1")
	fwd := Chain{Name: "fwd", Hook: "forward", Type: "filter", Priority: -160, Rules: []Rule{
		{CtInvalid: true, Verdict: Verdict{Kind: "drop"}, Comment: "a stateful appliance: no packet of a flow it did not see start"},
	}}
	for _, dev := range on {
		fwd.Rules = append(fwd.Rules,
			Rule{IIf: dev, NotOIf: "docker0", Verdict: Verdict{Kind: "drop"}, Comment: "source/destination check on"},
			Rule{OIf: dev, NotIIf: "docker0", Verdict: Verdict{Kind: "drop"}, Comment: "source/destination check on"})
	}
	post := Chain{Name: "post", Hook: "postrouting", Type: "nat", Priority: 100}
	for _, dev := range off {
		e := pl.eniOnDev(enis, dev)
		if e == nil || !e.PrimaryIP().Is4() {
			continue
		}
		var own []netip.Prefix
		if v := pl.st.VPCs[e.VpcID]; v != nil {
			for _, c := range v.CIDRs() {
				if c.Addr().Is4() {
					own = append(own, c.Masked())
				}
			}
		}
		if len(own) == 0 {
			continue
		}
		var mine []netip.Prefix
		for _, x := range enis {
			for _, p := range x.PrivateIPs {
				if p.Addr.Is4() {
					mine = append(mine, netip.PrefixFrom(p.Addr, 32))
				}
			}
		}
		post.Rules = append(post.Rules,
			Rule{OIf: dev, Src: mine, Verdict: Verdict{Kind: "accept"}, Comment: "the instance's own packets: the internet gateway maps each address"},
			Rule{OIf: dev, Dst: notPublic4, Verdict: Verdict{Kind: "accept"}, Comment: "a private destination: forwarded unchanged"},
			Rule{OIf: dev, Src: own, NotSrc: e.PrimaryIP(), Verdict: Verdict{Kind: "snat", Addr: e.PrimaryIP()}, Comment: "a NAT instance for its own VPC: the source translated to its address"})
	}
	pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "appliance", Chains: []Chain{fwd, post}})
}

// eniOnDev is the interface of enis attached as dev.
func (pl *planner) eniOnDev(enis []*model.NetworkInterface, dev string) *model.NetworkInterface {
	for _, e := range enis {
		if pl.eniDev[e.ID] == dev {
			return e
		}
	}
	return nil
}

// applianceInstance reports whether an instance's namespace forwards as
// an appliance (bridge tasks' forwarding must not drop what it forwards).
func (pl *planner) applianceInstance(enis []*model.NetworkInterface) bool {
	off, _ := pl.applianceDevs(enis)
	return len(off) > 0
}

// notPublic4 are the IPv4 ranges that are not public (reach's isPublic):
// private, shared (100.64.0.0/10), loopback, link-local, multicast, 0/8
// and 240/4.
var notPublic4 = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("224.0.0.0/3"),
}

// applianceModeRules routes, in VPC v's router, every packet of a
// connection that transit gateway link l handed it by the route table of
// the attachment subnet the connection's first packet was routed by (the
// sender's zone), when l's attachment has appliance mode on. src are the
// sender subnets (of other VPCs); tables v's kernel route tables.
func (pl *planner) applianceModeRules(l tgwLink, src []*model.Subnet, tables map[model.RouteTableID]int) {
	if l.att.ApplianceModeSupport != "enable" {
		return
	}
	ns := pl.vpcNS[l.att.VpcID]
	li, _ := strconv.Atoi(l.dev[1:])
	pre := Chain{Name: "pre", Hook: "prerouting", Type: "filter", Priority: -150}
	marks := map[model.SubnetID]uint32{}
	for j, id := range l.att.SubnetIDs {
		marks[id] = uint32(applianceMarkBase + li*64 + j)
	}
	for _, s := range src {
		sub := pl.attachmentSubnet(l.att, s.AvailabilityZone)
		if sub == nil && len(l.att.SubnetIDs) > 0 {
			sub = pl.st.Subnets[l.att.SubnetIDs[0]]
		}
		if sub == nil {
			continue
		}
		pre.Rules = append(pre.Rules, Rule{IIf: l.dev, CtOriginal: true, Src: []netip.Prefix{s.CIDR.Masked()}, Verdict: Verdict{Kind: "ctmark", Mark: marks[sub.ID]},
			Comment: "appliance mode: the flow stays in " + sub.AvailabilityZone})
	}
	pre.Rules = append(pre.Rules, Rule{IIf: l.dev, CtMarked: true, Verdict: Verdict{Kind: "restoremark"}, Comment: "both directions by the request's attachment subnet"})
	pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "appliancemode" + strconv.Itoa(li), Chains: []Chain{pre}})
	for _, id := range l.att.SubnetIDs {
		rt := pl.st.SubnetRouteTable(id)
		if rt == nil {
			continue
		}
		tbl, ok := tables[rt.ID]
		if !ok {
			continue
		}
		pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, Priority: 1900, IIf: l.dev, Mark: marks[id], Table: tbl})
	}
}
