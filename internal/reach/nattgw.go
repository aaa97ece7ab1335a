package reach

import (
	"net/netip"
	"slices"

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

// natRoutesPrivately reports whether the route table of ng's subnet sends
// dst to a transit gateway or a VPC peering connection by an active
// route (where a private NAT gateway's traffic goes: natIntoPeering).
func (t *tracer) natRoutesPrivately(ng *natNode, dst netip.Addr) bool {
	if ng == nil || ng.subnet == nil || ng.subnet.rt == nil || !dst.Is4() {
		return false
	}
	rr := ng.subnet.rt.lookup(dst)
	return rr != nil && rr.active && (rr.route.Target == model.TargetTransitGateway || rr.route.Target == model.TargetVpcPeering)
}

// natIntoPeering carries a packet the NAT gateway ng translated across the
// VPC peering connection its subnet's route rr names, to the destination
// in the peer VPC, which sees the NAT gateway's private address. AWS
// documents a NAT gateway's traffic to other networks through a transit
// gateway or a virtual private gateway (vpc-nat-gateway.html); a NAT
// gateway forwards by its subnet's route table whatever the target, and a
// peering connection carries a packet whose source and destination are in
// the two VPCs' ranges, which the NAT gateway's address is [probable].
// The peer VPC cannot hold the clients' range when it overlaps (AWS
// refuses peering VPCs with any overlapping CIDR block), so only a range
// the peer does not route back makes the NAT gateway useful there (one
// allow-listed address, "Access your network using allow-listed IP
// addresses", nat-gateway-scenarios.html).
func (t *tracer) natIntoPeering(fs *flowState, f *flow, path *[]Hop, ng *natNode, rr *rtRoute, p Packet) arrival {
	g := *f
	g.src, g.srcRef = ng.ng.PrivateIP, nil
	a := t.throughPeering(fs, &g, path, natENI(ng), rr, p)
	if !a.reached {
		return a
	}
	a.srcSeen, a.srcRef, a.nat = ng.ng.PrivateIP, nil, ng
	return a
}

// natPeeringReply walks the reply to a flow that a NAT gateway sent across
// a peering connection: the destination's subnet must route the NAT
// gateway's address back to the same connection; the NAT gateway's subnet
// lets it in and the NAT gateway translates it back (natUnwind).
func (t *tracer) natPeeringReply(fs *flowState, f *flow, a *arrival, path *[]Hop, D *eniNode, rr *rtRoute, p Packet) {
	ng := a.nat
	if rr.route.Target != model.TargetVpcPeering || rr.route.TargetID != string(a.pcx.ID) {
		t.returnMismatch(fs, path, D, rr, p, "VPC peering connection "+string(a.pcx.ID)+" to NAT gateway "+ng.comp.Label())
		return
	}
	t.aclCheck(fs, path, true, D.subnet, true, p)
	t.add(path, true, Hop{Action: ActionRouted, Component: a.pcxComp, Packet: p})
	t.aclCheck(fs, path, true, ng.subnet, false, p)
	t.natUnwind(fs, f, path, p, append(slices.Clip(a.natInner), ng))
}

// natIntoTGW carries a packet the NAT gateway ng translated (p's source is
// its private address) across the transit gateway its subnet's route rr
// names, to the destination in an attached VPC, or on from a VPC that
// does not hold it (egressFromAttachment) through a second NAT gateway:
// a private NAT gateway for a non-routable range, whose transit gateway
// takes the internet to an egress VPC's public NAT gateway ("How to solve
// Private IP exhaustion with Private NAT Solution", AWS Networking & Content
// Delivery blog). Each NAT gateway translates what it receives, wherever
// it came from (nat-gateway-scenarios.html), so the second one sees the
// first one's private address; the reply is translated back at each in
// turn (natChainBack, natUnwind).
func (t *tracer) natIntoTGW(fs *flowState, f *flow, path *[]Hop, ng *natNode, rr *rtRoute, p Packet) arrival {
	if slices.Contains(f.natTGW, ng) {
		// Translated by this NAT gateway already: the transit gateway
		// handed the packet back to a NAT gateway that sends it into the
		// transit gateway again (a NAT gateway's subnet whose route for
		// the destination is the transit gateway, in the VPC the gateway
		// sends it to).
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
	g.natTGW = append(slices.Clip(f.natTGW), ng)
	a := t.throughTGW(fs, &g, path, &from, rr, p)
	if !a.reached {
		return a
	}
	if a.nat != nil {
		// A NAT gateway further on translated the flow again: its
		// reply comes back through it first, then through ng.
		if a.nat.ng.Regional() {
			t.block(fs, Unknown, func() Explanation {
				m := "NAT gateway " + ng.comp.Label() + " sends the flow through the transit gateway to the regional NAT gateway " + a.nat.comp.Label() +
					"; ecsnet does not follow a reply back through a regional NAT gateway to another NAT gateway"
				return Explanation{Code: CodeUnsupportedComponent, Path: "forward", Component: a.nat.comp, Address: f.dst, Message: m, clause: m}
			})
			return arrival{}
		}
		a.natInner = append([]*natNode{ng}, a.natInner...)
		return a
	}
	a.srcSeen, a.srcRef, a.nat = ng.ng.PrivateIP, nil, ng
	return a
}

// natTGWReply walks the reply to a flow that a NAT gateway sent across a
// transit gateway: the destination's subnet must route the NAT gateway's
// private address to that transit gateway, whose route table must send
// it back to the NAT gateway's VPC; the NAT gateway translates it back to
// the source (or to the NAT gateway before it: natUnwind).
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
	t.enterFromTGW(fs, path, true, leg, D.subnet.subnet.AvailabilityZone, natENI(ng), p)
	t.natUnwind(fs, f, path, p, append(slices.Clip(a.natInner), ng))
}

// natChainBack carries the internet's reply to the last of a chain of NAT
// gateways (a public one, which sent the flow to its internet gateway)
// into its subnet, then back through the chain (natUnwind).
func (t *tracer) natChainBack(fs *flowState, f *flow, a *arrival, path *[]Hop, p Packet) {
	last := a.nat
	p.Destination = last.ng.PrivateIP
	t.add(path, true, Hop{Action: ActionTranslated, Component: last.subnet.vpc.igwC, Packet: p})
	t.aclCheck(fs, path, true, last.subnet, false, p)
	t.natUnwind(fs, f, path, p, append(slices.Clip(a.natInner), last))
}

// natUnwind translates a reply back at the last NAT gateway of chain (the
// reply is at its interface, to its private address), to the address it
// translated: the NAT gateway before it in chain, whose VPC the last one's
// subnet must route back to through the transit gateway (its NAT
// gateway's address, not the client's, is what the last one saw), or the
// client, first of all. A reply that does not get back names the route
// table, network ACL or transit gateway route table that lost it.
func (t *tracer) natUnwind(fs *flowState, f *flow, path *[]Hop, p Packet, chain []*natNode) {
	for len(chain) > 1 {
		ng, prev := chain[len(chain)-1], chain[len(chain)-2]
		p.Destination = prev.ng.PrivateIP
		t.add(path, true, Hop{Action: ActionTranslated, Component: ng.comp, Subnet: ng.subnet.comp, Packet: p})
		to := natENI(prev)
		if ng.subnet.rt == nil || !t.natReplyAcross(fs, path, p, ng.comp, ng.subnet, to) {
			if ng.subnet.rt == nil {
				t.blockOn(fs, true, Timeout, func() Explanation {
					m := "the subnet of NAT gateway " + ng.comp.Label() + " has no route table to send the reply to " + p.Destination.String() + " by"
					return Explanation{Code: CodeReturnRouteMismatch, Path: "return", Component: ng.subnet.comp, Address: p.Destination, Message: m, clause: m}
				})
			}
			return
		}
		chain = chain[:len(chain)-1]
	}
	ng := chain[0]
	S := f.srcENI
	p.Destination = f.src
	t.add(path, true, Hop{Action: ActionTranslated, Component: ng.comp, Subnet: ng.subnet.comp, Packet: p})
	if S == nil {
		return
	}
	if ng.subnet.vpc != nil && ng.subnet.rt != nil && S.eni.VpcID != ng.subnet.vpc.vpc.ID {
		if t.natReplyAcross(fs, path, p, ng.comp, ng.subnet, S) {
			t.received(path, S, p)
		}
		return
	}
	if ng.subnet != S.subnet {
		t.aclCheck(fs, path, true, ng.subnet, true, p)
		t.aclCheck(fs, path, true, S.subnet, false, p)
	}
	t.received(path, S, p)
}

// natENI is NAT gateway ng's interface in its subnet, as a place a reply
// is delivered to.
func natENI(ng *natNode) *eniNode {
	x := *ng.eni
	x.subnet = ng.subnet
	return &x
}
