package reach

import (
	"net/netip"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Transit gateways (tgw-how-transit-gateways-work.md, tgw-route-tables.md,
// tgw-vpc-attachments.md): a VPC route that names a transit gateway hands
// the packet to the VPC's attachment, through the attachment's network
// interface in the sender's Availability Zone; the transit gateway looks
// the destination up in the route table the attachment is associated with
// (longest prefix; static routes before propagated ones; a blackhole
// drops) and sends it out of the chosen attachment, into that VPC's
// attachment subnet, from where the VPC's local route delivers it.

// tgwComp is a transit gateway as a path component.
func (n *Network) tgwComp(id model.TransitGatewayID) *Component {
	c := &Component{Type: "transit-gateway", ID: string(id), ARN: n.arn("ec2", "transit-gateway/"+string(id))}
	if g := n.st.TransitGateways[id]; g != nil {
		c.Name = g.Tags.Name()
	}
	return c
}

func (n *Network) tgwAttachComp(a *model.TransitGatewayAttachment) *Component {
	return &Component{Type: "transit-gateway-attachment", ID: string(a.ID), ARN: n.arn("ec2", "transit-gateway-attachment/"+string(a.ID)), Name: a.Tags.Name()}
}

func (n *Network) tgwRTComp(id model.TransitGatewayRouteTableID) *Component {
	c := &Component{Type: "transit-gateway-route-table", ID: string(id), ARN: n.arn("ec2", "transit-gateway-route-table/"+string(id))}
	if rt := n.st.TransitGatewayRouteTables[id]; rt != nil {
		c.Name = rt.Tags.Name()
	}
	return c
}

// attachmentSubnet returns the attachment's subnet in zone, if any.
func (n *Network) attachmentSubnet(a *model.TransitGatewayAttachment, zone string) *subnetNode {
	for _, id := range a.SubnetIDs {
		if s := n.st.Subnets[id]; s != nil && s.AvailabilityZone == zone {
			return n.subnet(id)
		}
	}
	return nil
}

// tgwLeg is one crossing of a transit gateway: from the attachment of the
// sender's VPC to the attachment the route table chose.
type tgwLeg struct {
	tgw     *Component
	from    *model.TransitGatewayAttachment
	to      *model.TransitGatewayAttachment
	fromSub *subnetNode // the sender's attachment subnet (its zone)
}

// crossTGW carries a packet from sender subnet sn (in zone) across
// transit gateway id to the attachment its route table chooses for dst.
// It records the hops and, when the packet is dropped, the explanation;
// ok is false then.
func (t *tracer) crossTGW(fs *flowState, path *[]Hop, ret bool, sn *subnetNode, rr *rtRoute, p Packet, dst netip.Addr) (tgwLeg, bool) {
	n := t.n
	id := model.TransitGatewayID(rr.route.TargetID)
	leg := tgwLeg{tgw: n.tgwComp(id)}
	v := NoRoute
	if ret {
		v = Timeout
	}
	a := n.st.VpcTGWAttachment(sn.subnet.VpcID, id)
	if a == nil {
		seq := t.add(path, ret, Hop{Action: ActionNoRoute, Blocked: true, Component: sn.rt.comp, Subnet: sn.comp, Packet: p, Route: rr.view})
		t.blockOn(fs, ret, v, func() Explanation {
			m := "the route to " + rr.prefix.String() + " in route table " + sn.rt.comp.Label() + " names transit gateway " + leg.tgw.Label() +
				", but " + string(sn.subnet.VpcID) + " has no available attachment to it, so the route is a blackhole"
			return Explanation{Code: CodeBadStateRoute, Path: pathName(ret), Hop: seq, Component: sn.rt.comp, Route: rr.view, Address: dst, Message: m, clause: m}
		})
		return leg, false
	}
	leg.from = a
	ac := n.tgwAttachComp(a)
	// The transit gateway is reached only through the attachment's
	// interface in the sender's zone (tgw-vpc-attachments.md: "resources
	// in Availability Zones where there is no transit gateway attachment
	// cannot reach the transit gateway").
	fromSub := n.attachmentSubnet(a, sn.subnet.AvailabilityZone)
	if fromSub == nil {
		seq := t.add(path, ret, Hop{Action: ActionDropped, Blocked: true, Component: ac, Subnet: sn.comp, Packet: p})
		t.blockOn(fs, ret, Timeout, func() Explanation {
			m := "transit gateway attachment " + ac.Label() + " has no subnet in " + sn.subnet.AvailabilityZone + ", the zone of subnet " + sn.comp.Label() +
				": resources in a zone without an attachment subnet cannot reach the transit gateway; add a subnet of that zone to the attachment"
			return Explanation{Code: CodeTGWAttachAZRestriction, Path: pathName(ret), Hop: seq, Component: ac, Address: dst, Message: m, clause: m}
		})
		return leg, false
	}
	leg.fromSub = fromSub
	t.aclCheck(fs, path, ret, sn, true, p)
	if fromSub != sn {
		t.aclCheck(fs, path, ret, fromSub, false, p)
	}
	t.add(path, ret, Hop{Action: ActionRouted, Component: ac, Subnet: fromSub.comp, Packet: p})
	if a.Association == "" || n.st.TransitGatewayRouteTables[a.Association] == nil {
		seq := t.add(path, ret, Hop{Action: ActionNoRoute, Blocked: true, Component: leg.tgw, Packet: p})
		t.blockOn(fs, ret, v, func() Explanation {
			m := "transit gateway attachment " + ac.Label() + " is associated with no transit gateway route table, so transit gateway " + leg.tgw.Label() + " has no routes for its traffic"
			return Explanation{Code: CodeTGWAttachNoRTB, Path: pathName(ret), Hop: seq, Component: ac, Address: dst, Message: m, clause: m}
		})
		return leg, false
	}
	rtc := n.tgwRTComp(a.Association)
	r, found := n.st.TGWLookup(a.Association, dst)
	if !found {
		seq := t.add(path, ret, Hop{Action: ActionNoRoute, Blocked: true, Component: rtc, Packet: p})
		t.blockOn(fs, ret, v, func() Explanation {
			m := "transit gateway route table " + rtc.Label() + " (associated with " + ac.Label() + ") has no route to " + dst.String()
			return Explanation{Code: CodeTGWRTBCannotRoute, Path: pathName(ret), Hop: seq, Component: rtc, Address: dst, Message: m, clause: m}
		})
		return leg, false
	}
	view := &Route{RouteTableID: string(a.Association), RouteTableName: rtc.Name, DestinationCIDR: r.Destination,
		TargetType: "transit-gateway-attachment", Target: string(r.Attachment), State: r.State, Origin: r.Type}
	if r.State != "active" {
		view.TargetType, view.Target = "blackhole", "blackhole"
		seq := t.add(path, ret, Hop{Action: ActionNoRoute, Blocked: true, Component: rtc, Packet: p, Route: view})
		t.blockOn(fs, ret, v, func() Explanation {
			m := "the " + r.Type + " route to " + r.Destination.String() + " in transit gateway route table " + rtc.Label() + " is a blackhole"
			if r.Attachment != "" {
				m += ": its attachment " + string(r.Attachment) + " no longer exists or is not available"
			}
			return Explanation{Code: CodeTGWRTBBadStateRoute, Path: pathName(ret), Hop: seq, Component: rtc, Route: view, Address: dst, Message: m, clause: m}
		})
		return leg, false
	}
	t.add(path, ret, Hop{Action: ActionRouted, Component: rtc, Packet: p, Route: view})
	to := n.st.TransitGatewayAttachments[r.Attachment]
	if to.ResourceType != model.TGWAttachVPC {
		tc := n.tgwAttachComp(to)
		seq := t.add(path, ret, Hop{Action: ActionRouted, Component: tc, Packet: p})
		t.block(fs, Unknown, func() Explanation {
			m := "transit gateway route table " + rtc.Label() + " sends " + dst.String() + " to " + to.ResourceType + " attachment " + tc.Label() +
				" (peer transit gateway " + string(to.PeerTransitGatewayID) + "); ecsnet does not follow the path beyond a transit gateway peering"
			return Explanation{Code: CodeUnsupportedComponent, Path: pathName(ret), Hop: seq, Component: tc, Address: dst, Message: m, clause: m}
		})
		return leg, false
	}
	leg.to = to
	return leg, true
}

// enterFromTGW delivers a packet that leaves a transit gateway through VPC
// attachment to: into the attachment's subnet (in zone, the sender's,
// when the attachment has one there: traffic stays in its zone; else the
// destination's), then by the VPC's local route to D.
func (t *tracer) enterFromTGW(fs *flowState, path *[]Hop, ret bool, leg tgwLeg, zone string, D *eniNode, p Packet) {
	n := t.n
	sub := n.attachmentSubnet(leg.to, zone)
	if sub == nil && D != nil && D.subnet != nil {
		sub = n.attachmentSubnet(leg.to, D.subnet.subnet.AvailabilityZone)
	}
	if sub == nil && len(leg.to.SubnetIDs) > 0 {
		sub = n.subnet(leg.to.SubnetIDs[0])
	}
	t.add(path, ret, Hop{Action: ActionRouted, Component: n.tgwAttachComp(leg.to), Subnet: subnetComp2(sub), Packet: p})
	// tgw-nacls.md: the attachment subnet's outbound entries apply to
	// what the gateway sends to instances of another subnet, and the
	// instance's subnet's inbound entries apply in every case (in the
	// attachment subnet itself too: "inbound rules use the source IP
	// address to evaluate traffic from the transit gateway to the
	// instances").
	if sub != nil && D != nil && D.subnet != nil {
		if !sameSubnet(D.subnet, sub) {
			t.aclCheck(fs, path, ret, sub, true, p)
		}
		t.aclCheck(fs, path, ret, D.subnet, false, p)
	}
}

func subnetComp2(s *subnetNode) *Component {
	if s == nil {
		return nil
	}
	return s.comp
}

// throughTGW is forward's step for a route to a transit gateway: across
// the gateway to the ENI that holds the destination in the VPC of the
// attachment the gateway's route table chose.
func (t *tracer) throughTGW(fs *flowState, f *flow, path *[]Hop, S *eniNode, rr *rtRoute, p Packet) arrival {
	n := t.n
	leg, ok := t.crossTGW(fs, path, false, S.subnet, rr, p, f.dst)
	if !ok {
		return arrival{}
	}
	pv := n.vpc(leg.to.VpcID)
	if pv != nil && !pv.vpc.Contains(f.dst) {
		if a, ok := t.egressFromAttachment(fs, f, path, S, leg, p); ok {
			return a
		}
	}
	if pv != nil && !pv.vpc.Contains(f.dst) {
		if a, ok := t.inspectAcrossTGW(fs, f, path, S, leg, p); ok { // inspection.go
			return a
		}
	}
	if pv == nil || !pv.vpc.Contains(f.dst) {
		tc := n.tgwAttachComp(leg.to)
		seq := t.add(path, false, Hop{Action: ActionRouted, Component: tc, Packet: p})
		t.block(fs, Unknown, func() Explanation {
			m := f.dst.String() + " is not in a CIDR block of " + string(leg.to.VpcID) + ", the VPC of attachment " + tc.Label() +
				": the packet would go on by that VPC's attachment subnet routes (an inspection or egress VPC), which ecsnet does not follow yet"
			return Explanation{Code: CodeUnsupportedComponent, Path: "forward", Hop: seq, Component: tc, Address: f.dst, Message: m, clause: m}
		})
		return arrival{}
	}
	D := f.dstHint
	if D == nil && !n.lazy {
		D = n.eniAt(leg.to.VpcID, f.dst)
	}
	if D == nil {
		seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: pv.comp, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			m := "no network interface in " + string(leg.to.VpcID) + " holds " + f.dst.String() + ", so nothing answers"
			return Explanation{Code: CodeAddressNotAssigned, Path: "forward", Hop: seq, Component: pv.comp, Address: f.dst, Message: m, clause: m}
		})
		return arrival{}
	}
	t.enterFromTGW(fs, path, false, leg, S.subnet.subnet.AvailabilityZone, D, p)
	// Security group references do not cross a transit gateway (without
	// security group referencing support): the destination sees a plain
	// address.
	return arrival{reached: true, eni: D, srcSeen: f.src, dstAddr: f.dst, kind: viaTGW, tgw: leg.tgw}
}

// egressFromAttachment follows a packet the transit gateway hands to a
// VPC that does not hold its destination (an egress VPC, centralized
// egress to the internet): it enters the attachment's subnet in the
// sender's zone and goes on by that subnet's route table
// (tgw-vpc-attachments.md: the attachment subnet's route table routes
// what the gateway sends into the VPC; the whitepaper "Centralized egress
// to internet" routes 0.0.0.0/0 there to a NAT gateway). A route to a NAT
// gateway is followed as from any subnet (the NAT gateway's subnet must
// route the source back through the transit gateway: reply.go); no route
// or a blackhole drops the packet; other targets (an appliance, an
// internet gateway the packet has no public address for) are not
// followed: ok is false and the caller says so.
func (t *tracer) egressFromAttachment(fs *flowState, f *flow, path *[]Hop, S *eniNode, leg tgwLeg, p Packet) (arrival, bool) {
	n := t.n
	sub := n.attachmentSubnet(leg.to, S.subnet.subnet.AvailabilityZone)
	if sub == nil && len(leg.to.SubnetIDs) > 0 {
		sub = n.subnet(leg.to.SubnetIDs[0])
	}
	if sub == nil || sub.rt == nil || !f.dst.Is4() {
		return arrival{}, false
	}
	if rr := sub.rt.lookup(f.dst); rr != nil && rr.active && rr.route.Target == model.TargetInternetGateway && sub.vpc != nil && sub.vpc.igwC != nil {
		t.attachmentToIGW(fs, f, path, sub, leg, rr, p) // egressigw.go
		return arrival{}, true
	}
	if rr := sub.rt.lookup(f.dst); rr != nil && rr.active && rr.route.Target != model.TargetNatGateway {
		return arrival{}, false
	}
	t.add(path, false, Hop{Action: ActionRouted, Component: n.tgwAttachComp(leg.to), Subnet: sub.comp, Packet: p})
	rr, ok := t.route(fs, path, false, sub, p, f.dst)
	if !ok {
		return arrival{}, true
	}
	// From the attachment's subnet on: its network ACL and routes, the
	// sender's address (a NAT gateway translates it; security groups are
	// not on the way).
	hop := *S
	hop.subnet = sub
	return t.onRoute(fs, f, path, &hop, rr, p), true
}

// tgwReply walks the reply of a flow that crossed a transit gateway: the
// destination's subnet must route the client's address to the same
// transit gateway, whose route table for the destination's attachment
// must lead back to the client's VPC.
func (t *tracer) tgwReply(fs *flowState, f *flow, a *arrival, path *[]Hop, D *eniNode, rr *rtRoute, p Packet) {
	if rr.route.Target != model.TargetTransitGateway || rr.route.TargetID != a.tgw.ID {
		t.returnMismatch(fs, path, D, rr, p, "transit gateway "+a.tgw.Label())
		return
	}
	t.replyThroughTGW(fs, f, path, D, rr, p, a.srcSeen, "back ", a.inspected)
}

// replyThroughTGW follows a reply from D through the transit gateway its
// route rr names, seen from src, to the client, or drops it where the
// gateway sends it to another VPC ("not "+back+"to" the client's) that
// does not inspect it; fwd are the request's inspection points.
func (t *tracer) replyThroughTGW(fs *flowState, f *flow, path *[]Hop, D *eniNode, rr *rtRoute, p Packet, src netip.Addr, back string, fwd []inspectionPass) {
	leg, ok := t.crossTGW(fs, path, true, D.subnet, rr, p, src)
	if !ok {
		return
	}
	S := f.srcENI
	if S == nil {
		return
	}
	if leg.to.VpcID != S.eni.VpcID && t.replyThroughInspection(fs, f, path, D, leg, p, src, back, fwd) { // inspection.go
		return
	}
	if leg.to.VpcID != S.eni.VpcID {
		seq := t.add(path, true, Hop{Action: ActionDropped, Blocked: true, Component: t.n.tgwAttachComp(leg.to), Packet: p})
		t.blockOn(fs, true, Timeout, func() Explanation {
			m := "the transit gateway sends the reply to " + p.Destination.String() + " to attachment " + string(leg.to.ID) + " (" + string(leg.to.VpcID) +
				"), not " + back + "to " + string(S.eni.VpcID) + " where the request came from, so the client never sees it"
			return Explanation{Code: CodeReturnRouteMismatch, Path: "return", Hop: seq, Address: p.Destination, Message: m, clause: m}
		})
		return
	}
	t.enterFromTGW(fs, path, true, leg, D.subnet.subnet.AvailabilityZone, S, p)
	if len(fwd) > 0 && !t.replyAround(fs, path, fwd, t.n.tgwAttachComp(leg.to), p) { // ingressasym.go
		return
	}
	t.received(path, S, p)
}
