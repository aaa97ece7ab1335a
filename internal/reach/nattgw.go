package reach

import (
	"net/netip"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A NAT gateway's subnet may route a private destination to a transit
// gateway: the NAT gateway translates the source to its private address
// and forwards the packet by that route (VPC User Guide, "NAT gateway use
// cases", nat-gateway-scenarios.html: a public NAT gateway's traffic to
// other VPCs or an on-premises network "through a transit gateway or a
// virtual private gateway" leaves with "the private IP address of the NAT
// gateway" as its source; a private NAT gateway is made for exactly this,
// "Access your network using allow-listed IP addresses" and "Enable
// communication between overlapping networks"). The destination sees the
// NAT gateway's private address (no security group reference matches it)
// and must route it back to the same transit gateway, whose route table
// for the destination's attachment must lead back to the NAT gateway's
// VPC; the NAT gateway then translates the reply back to the source.

// natRoutesToTGW reports whether the route table of ng's subnet sends dst
// to a transit gateway by an active route.
func (t *tracer) natRoutesToTGW(ng *natNode, dst netip.Addr) bool {
	if ng == nil || ng.subnet == nil || ng.subnet.rt == nil || !dst.Is4() {
		return false
	}
	rr := ng.subnet.rt.lookup(dst)
	return rr != nil && rr.active && rr.route.Target == model.TargetTransitGateway
}

// natIntoTGW carries a packet the NAT gateway ng translated (p's source is
// its private address) across the transit gateway its subnet's route rr
// names, to the destination in an attached VPC.
func (t *tracer) natIntoTGW(fs *flowState, f *flow, path *[]Hop, ng *natNode, rr *rtRoute, p Packet) arrival {
	if f.natTGW != nil && f.natTGW != ng {
		t.block(fs, Unknown, func() Explanation {
			m := "NAT gateway " + ng.comp.Label() + " would translate again what NAT gateway " + f.natTGW.comp.Label() + " sent into the transit gateway; ecsnet does not follow a second NAT gateway on one path"
			return Explanation{Code: CodeUnsupportedComponent, Path: "forward", Component: ng.comp, Address: f.dst, Message: m, clause: m}
		})
		return arrival{}
	}
	if f.natTGW != nil {
		// Translated once already: the transit gateway handed the packet
		// back to a NAT gateway that sends it into the transit gateway
		// again (a NAT gateway's subnet whose route for the destination
		// is the transit gateway, in the VPC the gateway sends it to).
		seq := t.add(path, false, Hop{Action: ActionNoRoute, Blocked: true, Component: ng.subnet.rt.comp, Subnet: ng.subnet.comp, Packet: p, Route: rr.view})
		t.block(fs, NoRoute, func() Explanation {
			m := "route table " + ng.subnet.rt.comp.Label() + " of NAT gateway " + ng.comp.Label() + "'s subnet sends " + f.dst.String() + " back to transit gateway " + rr.route.TargetID +
				", which sent it here: a routing loop; route " + rr.prefix.String() + " from that subnet to the internet gateway (the NAT gateway's public side)"
			return Explanation{Code: CodeCannotRoute, Path: "forward", Hop: seq, Component: ng.subnet.rt.comp, Route: rr.view, Address: f.dst, Message: m, clause: m}
		})
		return arrival{}
	}
	from := *ng.eni
	from.subnet = ng.subnet
	g := *f
	g.src = ng.ng.PrivateIP
	g.natTGW = ng
	a := t.throughTGW(fs, &g, path, &from, rr, p)
	if !a.reached {
		return a
	}
	a.srcSeen, a.srcRef, a.nat = ng.ng.PrivateIP, nil, ng
	return a
}

// natTGWReply walks the reply to a flow that a NAT gateway sent across a
// transit gateway: the destination's subnet must route the NAT gateway's
// private address to that transit gateway, whose route table must send
// it back to the NAT gateway's VPC; the NAT gateway translates it back to
// the source, and its subnet's routes carry it on (throughNATBack's end).
func (t *tracer) natTGWReply(fs *flowState, f *flow, a *arrival, path *[]Hop, D *eniNode, rr *rtRoute, p Packet) {
	ng := a.nat
	if rr.route.Target != model.TargetTransitGateway || rr.route.TargetID != a.tgw.ID {
		t.returnMismatch(fs, path, D, rr, p, "transit gateway "+a.tgw.Label()+" to NAT gateway "+ng.comp.Label())
		return
	}
	leg, ok := t.crossTGW(fs, path, true, D.subnet, rr, p, a.srcSeen)
	if !ok {
		return
	}
	if leg.to.VpcID != ng.subnet.subnet.VpcID {
		seq := t.add(path, true, Hop{Action: ActionDropped, Blocked: true, Component: t.n.tgwAttachComp(leg.to), Packet: p})
		t.blockOn(fs, true, Timeout, func() Explanation {
			m := "the transit gateway sends the reply to " + p.Destination.String() + " (NAT gateway " + ng.comp.Label() + ") to attachment " + string(leg.to.ID) + " (" + string(leg.to.VpcID) +
				"), not back to " + string(ng.subnet.subnet.VpcID) + " where the NAT gateway is, so the client never sees it"
			return Explanation{Code: CodeReturnRouteMismatch, Path: "return", Hop: seq, Address: p.Destination, Message: m, clause: m}
		})
		return
	}
	t.enterFromTGW(fs, path, true, leg, D.subnet.subnet.AvailabilityZone, ng.eni, p)
	S := f.srcENI
	p.Destination = f.src
	t.add(path, true, Hop{Action: ActionTranslated, Component: ng.comp, Subnet: ng.subnet.comp, Packet: p})
	if S == nil {
		return
	}
	if ng.subnet.vpc != nil && ng.subnet.rt != nil && S.eni.VpcID != ng.subnet.vpc.vpc.ID {
		t.natReplyAcross(fs, path, p, ng.comp, ng.subnet, S)
		return
	}
	if ng.subnet != S.subnet {
		t.aclCheck(fs, path, true, ng.subnet, true, p)
		t.aclCheck(fs, path, true, S.subnet, false, p)
	}
	t.received(path, S, p)
}
