package fix

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Transit gateway fixes (tgw-vpc-attachments.md, tgw-route-tables.md):
// the attachment's subnet in the sender's zone, the attachment's route
// table association, the destination VPC's routes in the transit
// gateway's route table, and a VPC route table's route back to the
// transit gateway.

// hopOf returns the hop an explanation is about.
func (f *finder) hopOf(x reach.Explanation) *reach.Hop {
	path := f.res.Forward
	if x.Path == "return" {
		path = f.res.Return
	}
	for i := range path {
		if path[i].Seq == x.Hop {
			return &path[i]
		}
	}
	return nil
}

func tgwAttachName(a *model.TransitGatewayAttachment) string {
	return a.Tags.NameOr(string(a.ID))
}

func (f *finder) tgwRTName(id model.TransitGatewayRouteTableID) string {
	if rt := f.st.TransitGatewayRouteTables[id]; rt != nil {
		return rt.Tags.NameOr(string(id))
	}
	return string(id)
}

// vpcAttachmentFor returns the available VPC attachment of transit gateway
// tgw whose VPC holds a.
func (f *finder) vpcAttachmentFor(tgw model.TransitGatewayID, a netip.Addr) *model.TransitGatewayAttachment {
	for _, v := range f.st.VPCs {
		in := v.CIDR.Contains(a)
		for _, c := range v.Secondary {
			in = in || c.Contains(a)
		}
		if in {
			return f.st.VpcTGWAttachment(v.ID, tgw)
		}
	}
	return nil
}

// tgwFixes proposes the change a blocking transit gateway explanation
// names.
func (f *finder) tgwFixes(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	switch x.Code {
	case reach.CodeTGWAttachAZRestriction:
		return f.tgwAttachZone(x)
	case reach.CodeTGWAttachNoRTB:
		return f.tgwAssociate(x)
	case reach.CodeTGWRTBCannotRoute:
		return append(f.tgwPropagate(x), f.tgwDefaultRoute(x)...)
	case reach.CodeTGWRTBBadStateRoute:
		return f.tgwBlackhole(x)
	}
	return nil
}

// tgwRoutesWithout is the scenario text of rt's static routes without the
// one for dst.
func (f *finder) tgwRoutesWithout(rt *model.TransitGatewayRouteTable, dst netip.Prefix) string {
	var b strings.Builder
	fmt.Fprintf(&b, "transit_gateway_route_tables:\n  %s:\n    routes:", rt.Tags.NameOr(string(rt.ID)))
	n := 0
	for _, r := range rt.Routes {
		if r.Destination == dst {
			continue
		}
		target := "blackhole"
		if !r.Blackhole {
			target = string(r.Attachment)
			if a := f.st.TransitGatewayAttachments[r.Attachment]; a != nil {
				target = tgwAttachName(a)
			}
		}
		fmt.Fprintf(&b, "\n      - {destination: %s, target: %s}", r.Destination, target)
		n++
	}
	if n == 0 {
		b.WriteString(" []")
	}
	b.WriteString("    # the static route to " + dst.String() + " deleted\n")
	return b.String()
}

// tgwBlackhole: a static blackhole route in a transit gateway route table
// takes the traffic for its block before any propagated route to it (a
// static route wins over a propagated one for the same block, and the
// longest prefix wins first), so the packet is dropped. The fixes replace
// it with a route to the attachment of the VPC that holds the destination,
// or delete it so that a propagated route carries the traffic; each is
// verified by probing again (tgw-route-tables.md, "Route evaluation order").
func (f *finder) tgwBlackhole(x reach.Explanation) []Fix {
	if x.Route == nil || x.Route.Origin != "static" || !x.Address.IsValid() {
		return nil
	}
	rt := f.st.TransitGatewayRouteTables[model.TransitGatewayRouteTableID(x.Route.RouteTableID)]
	if rt == nil {
		return nil
	}
	dst := x.Route.DestinationCIDR
	i := slices.IndexFunc(rt.Routes, func(r model.TransitGatewayRoute) bool { return r.Destination == dst })
	if i < 0 || !rt.Routes[i].Blackhole {
		return nil
	}
	id, name := rt.ID, rt.Tags.NameOr(string(rt.ID))
	var out []Fix
	if a := f.vpcAttachmentFor(rt.TransitGatewayID, x.Address); a != nil && a.State == "available" {
		att := a.ID
		in := engine.TGWRouteInput{RouteTableID: id, DestinationCIDR: dst.String(), AttachmentID: att}
		out = append(out, Fix{
			score: 20, Kind: "transit-gateway",
			Title:    fmt.Sprintf("Replace the blackhole route %s in transit gateway route table %s with a route to the attachment %s", dst, name, tgwAttachName(a)),
			Detail:   "A static blackhole route drops the traffic for its block, and a static route wins over a propagated one for the same block: route the block to the attachment of the VPC that holds the destination.",
			Commands: []string{fmt.Sprintf("aws ec2 replace-transit-gateway-route --transit-gateway-route-table-id %s --destination-cidr-block %s --transit-gateway-attachment-id %s", id, dst, att)},
			Scenario: fmt.Sprintf("transit_gateway_route_tables:\n  %s:\n    routes:\n      - {destination: %s, target: %s}\n", name, dst, tgwAttachName(a)),
			apply: func(e *engine.Engine) error {
				_, err := e.ReplaceTransitGatewayRoute(in)
				return err
			},
		})
	}
	out = append(out, Fix{
		score: 25, Kind: "transit-gateway",
		Title:    fmt.Sprintf("Delete the blackhole route %s from transit gateway route table %s", dst, name),
		Detail:   "A static blackhole route drops the traffic for its block before a propagated route to it is looked at; without it the propagated route carries the traffic.",
		Commands: []string{fmt.Sprintf("aws ec2 delete-transit-gateway-route --transit-gateway-route-table-id %s --destination-cidr-block %s", id, dst)},
		Scenario: f.tgwRoutesWithout(rt, dst),
		apply: func(e *engine.Engine) error {
			_, err := e.DeleteTransitGatewayRoute(id, dst.String())
			return err
		},
	})
	return out
}

// tgwAttachZone adds the sender's subnet to the attachment: one subnet of
// a zone serves every subnet of that zone.
func (f *finder) tgwAttachZone(x reach.Explanation) []Fix {
	a := f.st.TransitGatewayAttachments[model.TransitGatewayAttachmentID(x.Component.ID)]
	h := f.hopOf(x)
	if a == nil || h == nil || h.Subnet == nil {
		return nil
	}
	sub := f.st.Subnets[model.SubnetID(h.Subnet.ID)]
	if sub == nil || sub.VpcID != a.VpcID {
		return nil
	}
	name := sub.Tags.NameOr(string(sub.ID))
	subs := slices.Clone(a.SubnetIDs)
	var names []string
	for _, s := range append(subs, sub.ID) {
		names = append(names, f.st.Subnets[s].Tags.NameOr(string(s)))
	}
	id := a.ID
	return []Fix{{
		score: 20, Kind: "transit-gateway",
		Title: fmt.Sprintf("Add the subnet %s to the transit gateway attachment %s (its zone %s has no attachment subnet)", name, tgwAttachName(a), sub.AvailabilityZone),
		Detail: "A VPC reaches a transit gateway only from the Availability Zones its attachment has a subnet in; one subnet of a zone serves every subnet of that zone. " +
			"AWS recommends a small dedicated subnet per zone for the attachment.",
		Commands: []string{fmt.Sprintf("aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id %s --add-subnet-ids %s", id, sub.ID)},
		Scenario: fmt.Sprintf("transit_gateway_attachments:\n  %s:\n    subnets: [%s]\n", tgwAttachName(a), strings.Join(names, ", ")),
		apply: func(e *engine.Engine) error {
			_, err := e.ModifyTransitGatewayVpcAttachment(engine.ModifyTGWVpcAttachmentInput{ID: id, AddSubnetIDs: []model.SubnetID{sub.ID}})
			return err
		},
	}}
}

// tgwAssociate associates an attachment with the transit gateway's
// default association route table, else with the route table most of
// its other attachments use.
func (f *finder) tgwAssociate(x reach.Explanation) []Fix {
	a := f.st.TransitGatewayAttachments[model.TransitGatewayAttachmentID(x.Component.ID)]
	if a == nil {
		return nil
	}
	var rtb model.TransitGatewayRouteTableID
	if g := f.st.TransitGateways[a.TransitGatewayID]; g != nil && f.st.TransitGatewayRouteTables[g.AssociationDefaultRouteTable] != nil {
		rtb = g.AssociationDefaultRouteTable
	}
	if rtb == "" {
		count := map[model.TransitGatewayRouteTableID]int{}
		for _, o := range f.st.TransitGatewayAttachments {
			if o.TransitGatewayID == a.TransitGatewayID && o.Association != "" {
				count[o.Association]++
			}
		}
		for id, c := range count {
			if c > count[rtb] || c == count[rtb] && id < rtb {
				rtb = id
			}
		}
	}
	if rtb == "" {
		return nil
	}
	id := a.ID
	return []Fix{{
		score: 20, Kind: "transit-gateway",
		Title:    fmt.Sprintf("Associate the transit gateway attachment %s with the transit gateway route table %s", tgwAttachName(a), f.tgwRTName(rtb)),
		Detail:   "A transit gateway routes an attachment's traffic by the one route table the attachment is associated with; without one it routes nothing.",
		Commands: []string{fmt.Sprintf("aws ec2 associate-transit-gateway-route-table --transit-gateway-route-table-id %s --transit-gateway-attachment-id %s", rtb, id)},
		Scenario: fmt.Sprintf("transit_gateway_attachments:\n  %s:\n    route_table: %s\n", tgwAttachName(a), f.tgwRTName(rtb)),
		apply: func(e *engine.Engine) error {
			_, err := e.AssociateTransitGatewayRouteTable(rtb, id)
			return err
		},
	}}
}

// tgwPropagate propagates the routes of the destination VPC's attachment
// to the transit gateway route table that has no route to it.
func (f *finder) tgwPropagate(x reach.Explanation) []Fix {
	rt := f.st.TransitGatewayRouteTables[model.TransitGatewayRouteTableID(x.Component.ID)]
	if rt == nil || !x.Address.IsValid() {
		return nil
	}
	to := f.vpcAttachmentFor(rt.TransitGatewayID, x.Address)
	if to == nil || slices.Contains(rt.Propagations, to.ID) {
		return nil
	}
	rtb, id := rt.ID, to.ID
	return []Fix{{
		score: 20, Kind: "transit-gateway",
		Title:    fmt.Sprintf("Propagate the routes of the transit gateway attachment %s to the transit gateway route table %s", tgwAttachName(to), f.tgwRTName(rtb)),
		Detail:   "A transit gateway route table knows a VPC's CIDR only from a propagation of its attachment or a static route.",
		Commands: []string{fmt.Sprintf("aws ec2 enable-transit-gateway-route-table-propagation --transit-gateway-route-table-id %s --transit-gateway-attachment-id %s", rtb, id)},
		Scenario: fmt.Sprintf("transit_gateway_attachments:\n  %s:\n    propagate_to: [%s]\n", tgwAttachName(to), f.tgwRTName(rtb)),
		apply: func(e *engine.Engine) error {
			_, err := e.SetTransitGatewayRouteTablePropagation(rtb, id, true)
			return err
		},
	}}
}

// tgwRoute: a VPC route table with no route to a private address of
// another VPC that a transit gateway both VPCs are attached to can reach
// gets a route for that VPC's CIDR to the transit gateway (the return
// route is the one most often forgotten).
func (f *finder) tgwRoute(x reach.Explanation) []Fix {
	if !x.Address.IsValid() || !x.Address.IsPrivate() || !x.Address.Is4() || x.Component == nil {
		return nil
	}
	rt := f.st.RouteTables[model.RouteTableID(x.Component.ID)]
	if rt == nil {
		return nil
	}
	var out []Fix
	for _, a := range f.st.TransitGatewayAttachments {
		if a.ResourceType != model.TGWAttachVPC || a.VpcID != rt.VpcID || a.State != "available" {
			continue
		}
		to := f.vpcAttachmentFor(a.TransitGatewayID, x.Address)
		if to == nil || to.VpcID == rt.VpcID {
			continue
		}
		v := f.st.VPCs[to.VpcID]
		cidr := v.CIDR
		for _, c := range v.Secondary {
			if c.Contains(x.Address) {
				cidr = c
			}
		}
		tgw := a.TransitGatewayID
		tgwName := string(tgw)
		if g := f.st.TransitGateways[tgw]; g != nil {
			tgwName = g.Tags.NameOr(string(tgw))
		}
		in := engine.RouteInput{RouteTableID: rt.ID, DestinationCIDR: cidr.String(), TransitGatewayID: tgw}
		name := rt.Tags.NameOr(string(rt.ID))
		out = append(out, Fix{
			score: 20, Kind: "route",
			Title:    fmt.Sprintf("Route %s (%s) to transit gateway %s in route table %s", cidr, vpcPhrase(f.st, v.ID), tgwName, name),
			Detail:   "Traffic between VPCs through a transit gateway needs a route to the transit gateway in the route tables of both sides: the replies too.",
			Commands: []string{fmt.Sprintf("aws ec2 create-route --route-table-id %s --destination-cidr-block %s --transit-gateway-id %s", rt.ID, cidr, tgw)},
			Scenario: fmt.Sprintf("route_tables:\n  %s:\n    routes:\n      - {destination: %s, target: %s}\n", name, cidr, tgwName),
			apply:    func(e *engine.Engine) error { return e.CreateRoute(in) },
		})
	}
	slices.SortFunc(out, func(a, b Fix) int { return strings.Compare(a.Title, b.Title) })
	return out
}

// tgwDefaultRoute: a transit gateway route table without a route to an
// internet address, in a transit gateway with an egress VPC (an attachment
// whose subnets route 0.0.0.0/0 to a NAT gateway): a static default route
// to that attachment, as centralized egress needs (propagation adds a
// VPC's CIDR, never a default route; "Centralized egress to internet",
// AWS whitepaper building-scalable-secure-multi-vpc-network-infrastructure).
func (f *finder) tgwDefaultRoute(x reach.Explanation) []Fix {
	rt := f.st.TransitGatewayRouteTables[model.TransitGatewayRouteTableID(x.Component.ID)]
	if rt == nil || !x.Address.IsValid() || !x.Address.Is4() || x.Address.IsPrivate() || f.vpcAttachmentFor(rt.TransitGatewayID, x.Address) != nil {
		return nil
	}
	var out []Fix
	for _, a := range sortedAttachments(f.st) {
		if a.TransitGatewayID != rt.TransitGatewayID || a.ResourceType != model.TGWAttachVPC || a.State != "available" || a.Association == rt.ID {
			continue
		}
		nat := ""
		for _, s := range a.SubnetIDs {
			if srt := f.st.SubnetRouteTable(s); srt != nil {
				for _, r := range srt.Routes {
					if r.Destination.Bits() == 0 && r.Destination.Addr().Is4() && r.Target == model.TargetNatGateway {
						nat = r.TargetID
					}
				}
			}
		}
		if nat == "" {
			continue
		}
		rtb, id := rt.ID, a.ID
		out = append(out, Fix{
			score: 15, Kind: "transit-gateway",
			Title: fmt.Sprintf("Add a static route 0.0.0.0/0 to the transit gateway attachment %s (the egress VPC, NAT gateway %s) in the transit gateway route table %s",
				tgwAttachName(a), nat, f.tgwRTName(rtb)),
			Detail:   "Centralized egress: the spoke VPCs' transit gateway route table sends 0.0.0.0/0 to the egress VPC's attachment, whose subnets route it to a NAT gateway. Propagation adds a VPC's CIDR, never a default route: it takes a static route.",
			Commands: []string{fmt.Sprintf("aws ec2 create-transit-gateway-route --transit-gateway-route-table-id %s --destination-cidr-block 0.0.0.0/0 --transit-gateway-attachment-id %s", rtb, id)},
			Scenario: fmt.Sprintf("transit_gateway_route_tables:\n  %s:\n    routes:\n      - {destination: 0.0.0.0/0, target: %s}\n", f.tgwRTName(rtb), tgwAttachName(a)),
			apply: func(e *engine.Engine) error {
				_, err := e.CreateTransitGatewayRoute(engine.TGWRouteInput{RouteTableID: rtb, DestinationCIDR: "0.0.0.0/0", AttachmentID: id})
				return err
			},
		})
	}
	return out
}

func sortedAttachments(st *model.State) []*model.TransitGatewayAttachment {
	out := make([]*model.TransitGatewayAttachment, 0, len(st.TransitGatewayAttachments))
	for _, a := range st.TransitGatewayAttachments {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *model.TransitGatewayAttachment) int { return strings.Compare(string(a.ID), string(b.ID)) })
	return out
}
