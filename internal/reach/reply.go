package reach

import (
	"github.com/ecsnet/ecsnet/internal/model"
	"net/netip"
)

// statefulNote is the note on the hop where a security group lets a reply
// out: security groups are stateful (reference §8).
const statefulNote = "security groups are stateful: the reply to an allowed connection is allowed"

// reply walks the reply of a flow back to its source. Security groups let
// it through by state; network ACLs check it again (stateless, to the
// client's ephemeral port), and the routes of the destination's subnet
// must lead back the way the request came (reference §8).
func (t *tracer) reply(fs *flowState, f *flow, a *arrival, path *[]Hop) {
	if !a.reached {
		return
	}
	if a.exited {
		t.replyFromOutside(fs, f, a, path)
		return
	}
	if a.self {
		return
	}
	D := a.eni
	p := t.pkt(a.dstAddr, f.dport, a.srcSeen, f.sport)
	if D.kind == eniHost && docker0Takes(D, a.srcSeen, a.bridged) {
		t.docker0Reply(fs, path, D, a, p)
		return
	}
	t.add(path, true, Hop{Action: ActionAllowed, Component: D.comp, AttachedTo: D.attached, Subnet: subnetComp(D), Direction: "egress", Packet: p, Note: statefulNote})
	if D.subnet == nil || D.subnet.rt == nil {
		return
	}
	if f.preserved {
		// An NLB that preserves the client's address still carries the
		// reply: it does not follow the target subnet's routes, but the
		// target subnet's network ACL sees it when the node is in another
		// subnet (within a subnet no network ACL applies).
		if S := f.srcENI; S == nil || !sameSubnet(S.subnet, D.subnet) {
			t.aclCheck(fs, path, true, D.subnet, true, p)
		}
		t.received(path, f.srcENI, p)
		return
	}
	rr, ok := t.route(fs, path, true, D.subnet, p, a.srcSeen)
	if !ok {
		return
	}
	if a.ingressIGW && !t.replySymmetric(fs, path, D, rr, a.inspected, p) { // ingressasym.go
		return
	}
	if rr.route.Target == model.TargetVpcEndpoint {
		if rr = t.replyThroughGWLB(fs, path, D.subnet, rr, p); rr == nil {
			return
		}
	}
	if a.ingressIGW {
		if rr.route.Target == model.TargetEgressOnlyIGW {
			if t.proto == model.UDP && !t.replyICMP {
				// A datagram's answer is, to the egress-only gateway,
				// a datagram the VPC sends out: UDP has no connection
				// for it to tell an answer from a new flow by, and it
				// "enables outbound communication over IPv6" (the
				// kernel's conntrack agrees: a new flow, passed).
				t.aclCheck(fs, path, true, D.subnet, true, p)
				t.add(path, true, Hop{Action: ActionRouted, Component: t.n.eigwComp(rr.route.TargetID), Packet: p, Route: rr.view})
				t.backToSource(fs, f, a, path, p)
				return
			}
			t.egressOnlyReply(fs, path, D, rr, p)
			return
		}
		if rr.route.Target != model.TargetInternetGateway {
			if p.Destination.Is6() && t.replyAcrossPeering(fs, f, path, D, rr, p, a.inspected) {
				return
			}
			t.returnMismatch(fs, path, D, rr, p, "the internet gateway")
			return
		}
		t.aclCheck(fs, path, true, D.subnet, true, p)
		if p.Source.Is6() {
			t.add(path, true, Hop{Action: ActionRouted, Component: D.vpc.igwC, Packet: p})
		} else {
			p.Source = f.dst
			t.add(path, true, Hop{Action: ActionTranslated, Component: D.vpc.igwC, Packet: p})
		}
		t.backToSource(fs, f, a, path, p)
		return
	}
	if a.kind == viaTGW && a.nat != nil {
		t.natTGWReply(fs, f, a, path, D, rr, p) // nattgw.go
		return
	}
	if a.kind == viaTGW {
		if t.replyAcrossPeering(fs, f, path, D, rr, p, a.inspected) {
			return
		}
		t.tgwReply(fs, f, a, path, D, rr, p)
		return
	}
	if a.kind == viaPeering && a.nat != nil {
		t.natPeeringReply(fs, f, a, path, D, rr, p) // nattgw.go
		return
	}
	if a.kind == viaPeering {
		if rr.route.Target == model.TargetTransitGateway {
			t.replyAcrossTGW(fs, f, a, path, D, rr, p)
			return
		}
		if rr.route.Target != model.TargetVpcPeering || rr.route.TargetID != string(a.pcx.ID) {
			if t.replyOverInternet6(fs, f, path, D, rr, p) {
				return
			}
			t.returnMismatch(fs, path, D, rr, p, "VPC peering connection "+string(a.pcx.ID))
			return
		}
		t.aclCheck(fs, path, true, D.subnet, true, p)
		t.add(path, true, Hop{Action: ActionRouted, Component: a.pcxComp, Packet: p})
		if S := f.srcENI; S != nil {
			t.aclCheck(fs, path, true, S.subnet, false, p)
			if t.replyAround(fs, path, a.inspected, a.pcxComp, p) { // ingressasym.go
				t.received(path, S, p)
			}
		}
		return
	}
	if rr.route.Target != model.TargetLocal {
		t.returnMismatch(fs, path, D, rr, p, "the VPC's local route")
		return
	}
	S := f.srcENI
	if S == nil {
		return
	}
	if !sameSubnet(S.subnet, D.subnet) {
		t.aclCheck(fs, path, true, D.subnet, true, p)
		t.aclCheck(fs, path, true, S.subnet, false, p)
	}
	t.received(path, S, p)
}

// replyFromOutside walks the reply of an internet host or an AWS service
// (through a gateway endpoint) back to the source.
func (t *tracer) replyFromOutside(fs *flowState, f *flow, a *arrival, path *[]Hop) {
	p := t.pkt(a.dstAddr, f.dport, a.srcSeen, f.sport)
	if a.kind == viaVPN {
		t.replyFromVPN(fs, f, a, path, p)
		return
	}
	c := t.n.internet
	if a.endpoint != nil {
		c = a.endpoint.comp
	}
	t.add(path, true, Hop{Action: ActionSent, Component: c, Packet: p})
	if a.kind == viaGatewayEndpoint {
		p.Destination = f.src
		if S := f.srcENI; S != nil {
			t.aclCheck(fs, path, true, S.subnet, false, p)
			t.received(path, S, p)
		}
		return
	}
	t.backToSource(fs, f, a, path, p)
}

// backToSource carries a reply that left through an internet gateway
// back to the flow's source: an internet client, an ENI with a public IP,
// or an ENI behind a NAT gateway.
func (t *tracer) backToSource(fs *flowState, f *flow, a *arrival, path *[]Hop, p Packet) {
	switch a.kind {
	case viaInternet:
		t.add(path, true, Hop{Action: ActionReceived, Component: t.n.internet, Packet: p})
	case viaIGW:
		S := f.srcENI
		act := ActionTranslated
		if p.Destination.Is6() {
			act = ActionRouted // IPv6: no translation
		}
		p.Destination = f.src
		t.add(path, true, Hop{Action: act, Component: S.vpc.igwC, Packet: p})
		if !t.replyThroughEdge(fs, path, S.vpc.igwC, S.subnet, a.inspected, p) { // networkfirewall.go
			return
		}
		t.aclCheck(fs, path, true, S.subnet, false, p)
		t.received(path, S, p)
	case viaEIGW:
		S := f.srcENI
		t.add(path, true, Hop{Action: ActionRouted, Component: a.eigw, Packet: p,
			Note: "an egress-only internet gateway is stateful: it lets in the replies to connections started inside the VPC"})
		t.aclCheck(fs, path, true, S.subnet, false, p)
		t.received(path, S, p)
	case viaNAT:
		if len(a.natInner) > 0 {
			t.natChainBack(fs, f, a, path, p) // nattgw.go
			return
		}
		if a.nat.ng.Regional() {
			t.throughRegionalNATBack(fs, f, path, p, a.nat)
			return
		}
		t.throughNATBack(fs, f, path, p, a.nat.ng.PrivateIP, a.nat.comp, nil, a.nat.subnet, a.inspected)
	case viaNATInstance:
		X := a.natENI
		t.throughNATBack(fs, f, path, p, X.primary, X.comp, X.attached, X.subnet, a.inspected)
	}
}

// throughNATBack carries a reply back through the NAT device (a NAT
// gateway, or a NAT instance's ENI, attached to an instance) that
// translated the request: the internet gateway to its private address
// priv, its subnet's inbound ACL, the device back to the source (security
// groups are stateful: the reply needs no rule), then the ACLs between it
// and the source.
func (t *tracer) throughNATBack(fs *flowState, f *flow, path *[]Hop, p Packet, priv netip.Addr, comp, attached *Component, sn *subnetNode, inspected []inspectionPass) {
	S := f.srcENI
	p.Destination = priv
	t.add(path, true, Hop{Action: ActionTranslated, Component: sn.vpc.igwC, Packet: p})
	if !t.replyThroughEdge(fs, path, sn.vpc.igwC, sn, inspected, p) { // networkfirewall.go
		return
	}
	t.aclCheck(fs, path, true, sn, false, p)
	p.Destination = f.src
	t.add(path, true, Hop{Action: ActionTranslated, Component: comp, AttachedTo: attached, Subnet: sn.comp, Packet: p})
	if S != nil && sn.vpc != nil && sn.rt != nil && S.eni.VpcID != sn.vpc.vpc.ID {
		if t.natReplyAcross(fs, path, p, comp, sn, S) {
			t.received(path, S, p)
		}
		return
	}
	if sn != S.subnet {
		t.aclCheck(fs, path, true, sn, true, p)
		t.aclCheck(fs, path, true, S.subnet, false, p)
	}
	t.received(path, S, p)
}

// natReplyAcross carries the reply a NAT device translated back to a
// source S in another VPC (centralized egress: the spokes reach the egress
// VPC's NAT gateway through a transit gateway). The translated reply
// leaves the NAT device by its subnet's route table like any packet
// (whitepaper "Centralized egress to internet": the egress VPC's public
// subnet routes the spokes' ranges to the transit gateway): through the
// transit gateway, whose route table for the egress VPC's attachment
// must lead back to S's VPC; without such a route (only 0.0.0.0/0 to the
// internet gateway, which drops private destinations) it never gets
// back, and the source times out. S may be another NAT gateway's
// interface (a chain of NAT gateways, nattgw.go). It reports whether the
// reply entered S's subnet; the caller delivers it.
func (t *tracer) natReplyAcross(fs *flowState, path *[]Hop, p Packet, nat *Component, sn *subnetNode, S *eniNode) bool {
	rr := sn.rt.lookup(p.Destination)
	if rr != nil && rr.active && rr.route.Target == model.TargetTransitGateway {
		t.add(path, true, Hop{Action: ActionRouted, Component: sn.rt.comp, Subnet: sn.comp, Packet: p, Route: rr.view})
		leg, ok := t.crossTGW(fs, path, true, sn, rr, p, p.Destination)
		if !ok {
			return false
		}
		if leg.to.VpcID != S.eni.VpcID {
			seq := t.add(path, true, Hop{Action: ActionDropped, Blocked: true, Component: t.n.tgwAttachComp(leg.to), Packet: p})
			t.blockOn(fs, true, Timeout, func() Explanation {
				m := "the transit gateway sends the reply to " + p.Destination.String() + " to attachment " + string(leg.to.ID) + " (" + string(leg.to.VpcID) +
					"), not back to " + string(S.eni.VpcID) + " where the request came from, so the source never sees it"
				return Explanation{Code: CodeReturnRouteMismatch, Path: "return", Hop: seq, Address: p.Destination, Message: m, clause: m}
			})
			return false
		}
		t.enterFromTGW(fs, path, true, leg, sn.subnet.AvailabilityZone, S, p)
		return true
	}
	var view *Route
	if rr != nil {
		view = rr.view
	}
	seq := t.add(path, true, Hop{Action: ActionDropped, Blocked: true, Component: sn.rt.comp, Subnet: sn.comp, Packet: p, Route: view})
	t.blockOn(fs, true, Timeout, func() Explanation {
		how := "has no route to " + p.Destination.String()
		switch {
		case rr != nil && !rr.active:
			how = "sends " + p.Destination.String() + " to " + rr.route.TargetID + " by a blackhole route " + rr.prefix.String()
		case rr != nil:
			how = "sends " + p.Destination.String() + " by its route " + rr.prefix.String() + " to " + rr.route.TargetID + " (" + rr.route.Target.String() + ")"
		}
		m := "route table " + sn.rt.comp.Label() + " of subnet " + sn.comp.Label() + ", where " + nat.Label() + " translates the reply back, " + how +
			", not back through the transit gateway the request came by (the source is in another VPC), so the reply never arrives;" +
			" add a route to the source VPC's range through that transit gateway on " + sn.rt.comp.Label()
		return Explanation{Code: CodeReturnRouteMismatch, Path: "return", Hop: seq, Component: sn.rt.comp, Route: view, Address: p.Destination, Message: m, clause: m}
	})
	return false
}

// egressOnlyReply records the reply to a connection from the internet
// that the destination's subnet routes to an egress-only internet
// gateway: such a gateway carries only connections started inside the
// VPC (egress-only-internet-gateway.md: it "prevents the internet from
// initiating an IPv6 connection with your instances"), so the client
// never sees a reply. Where exactly AWS drops it is UNVERIFIED; the
// client's experience, a timeout, is documented. The reset of a host
// that refuses is such a reply too: the client times out rather than
// being refused ([choice], as for any reply lost on the return path).
func (t *tracer) egressOnlyReply(fs *flowState, path *[]Hop, D *eniNode, rr *rtRoute, p Packet) {
	c := t.n.eigwComp(rr.route.TargetID)
	seq := t.add(path, true, Hop{Action: ActionDropped, Blocked: true, Component: c, Subnet: D.subnet.comp, Packet: p, Route: rr.view})
	t.blockOn(fs, true, Timeout, func() Explanation {
		m := "route table " + D.subnet.rt.comp.Label() + " of subnet " + D.subnet.comp.Label() + " sends " + rr.prefix.String() +
			" to the egress-only internet gateway " + c.Label() + ", which carries only connections started inside the VPC: the internet cannot start a connection to " +
			D.owned() + ", so the client never gets a reply"
		return Explanation{Code: CodeEgressOnlyInbound, Path: "return", Hop: seq, Component: c, Route: rr.view, Address: p.Destination, Message: m, clause: m}
	})
}

// received records the reply arriving at the source ENI.
func (t *tracer) received(path *[]Hop, S *eniNode, p Packet) {
	if S == nil {
		return
	}
	t.add(path, true, Hop{Action: ActionReceived, Component: S.comp, AttachedTo: S.attached, Subnet: subnetComp(S), Direction: "ingress", Packet: p, Note: statefulNote})
}

// returnMismatch records a reply that leaves by another way than the
// request came in: the client drops it (its source address is wrong), so
// the client times out.
func (t *tracer) returnMismatch(fs *flowState, path *[]Hop, D *eniNode, rr *rtRoute, p Packet, want string) {
	seq := t.add(path, true, Hop{Action: ActionDropped, Blocked: true, Component: D.subnet.rt.comp, Subnet: D.subnet.comp, Packet: p, Route: rr.view})
	t.blockOn(fs, true, Timeout, func() Explanation {
		m := "route table " + D.subnet.rt.comp.Label() + " of subnet " + D.subnet.comp.Label() + " sends the reply to " + p.Destination.String() +
			" through " + rr.route.TargetID + " (" + rr.route.Target.String() + "), not back through " + want + ", so the client never sees it"
		return Explanation{Code: CodeReturnRouteMismatch, Path: "return", Hop: seq, Component: D.subnet.rt.comp, Route: rr.view, Address: p.Destination, Message: m, clause: m}
	})
}

// An asymmetric return between VPCs: the request crossed a peering
// connection and the reply's route leads to a transit gateway, or the
// other way round. AWS routes every packet by its destination (no
// reverse path check on a peering connection, vpc-peering-routing.html;
// a transit gateway routes at layer 3 to the next attachment by the
// destination, transit-gateway-nat-igw.html), and the client's security
// groups track the connection whatever path its reply took, so a reply
// that reaches the client's VPC by the other path is delivered (only a
// stateful appliance on one of the paths would drop it).

// replyAcrossTGW follows a reply, of a request that came across a
// peering connection, through the transit gateway its route names.
func (t *tracer) replyAcrossTGW(fs *flowState, f *flow, a *arrival, path *[]Hop, D *eniNode, rr *rtRoute, p Packet) {
	src := a.srcSeen
	if !src.IsValid() {
		src = f.src
	}
	t.replyThroughTGW(fs, f, path, D, rr, p, src, "", a.inspected) // tgw.go
}

// replyAcrossPeering delivers a reply, of a request that came through a
// transit gateway, across the active peering connection its route names
// when that connection joins the replying VPC to the client's; false
// when the route names no such connection (the caller goes on).
func (t *tracer) replyAcrossPeering(fs *flowState, f *flow, path *[]Hop, D *eniNode, rr *rtRoute, p Packet, fwd []inspectionPass) bool {
	S := f.srcENI
	if rr.route.Target != model.TargetVpcPeering || S == nil {
		return false
	}
	c := t.n.st.VpcPeerings[model.VpcPeeringConnectionID(rr.route.TargetID)]
	if c == nil || c.Status != "active" {
		return false
	}
	if peer, ok := c.Peer(D.eni.VpcID); !ok || peer != S.eni.VpcID {
		return false
	}
	t.aclCheck(fs, path, true, D.subnet, true, p)
	pc := t.n.peeringComp(c)
	t.add(path, true, Hop{Action: ActionRouted, Component: pc, Packet: p})
	t.aclCheck(fs, path, true, S.subnet, false, p)
	if t.replyAround(fs, path, fwd, pc, p) { // ingressasym.go
		t.received(path, S, p)
	}
	return true
}

// replyOverInternet6 delivers an IPv6 reply, of a request that came across
// a peering connection, that its route sends to the internet gateway: the
// client's address is the same on every path (IPv6 has no translation) and
// globally routed, so the reply comes back in through the internet gateway
// of the client's VPC, whose security groups track the connection whatever
// path the reply took (the same rule as replyAcrossPeering's). An
// egress-only gateway would not let it in (it passes only replies to what
// left through it): false then, as for an IPv4 reply, and the caller
// reports the mismatch. The data plane's kernel delivers it so too.
func (t *tracer) replyOverInternet6(fs *flowState, f *flow, path *[]Hop, D *eniNode, rr *rtRoute, p Packet) bool {
	S := f.srcENI
	if rr.route.Target != model.TargetInternetGateway || !p.Destination.Is6() || S == nil || S.vpc.igwC == nil || D.vpc.igwC == nil {
		return false
	}
	t.aclCheck(fs, path, true, D.subnet, true, p)
	t.add(path, true, Hop{Action: ActionRouted, Component: D.vpc.igwC, Packet: p})
	t.add(path, true, Hop{Action: ActionRouted, Component: S.vpc.igwC, Packet: p})
	t.aclCheck(fs, path, true, S.subnet, false, p)
	t.received(path, S, p)
	return true
}

// docker0Reply: the reply to a client whose address is in docker0's
// network of the answering instance never leaves it. The instance's host
// route to docker0 is more specific than its default route (a host
// socket's reply), or the bridge container's own link is that network
// (a container's reply: it looks for the client on docker0, where no one
// answers for it, even from the instance's own subnet).
func (t *tracer) docker0Reply(fs *flowState, path *[]Hop, D *eniNode, a *arrival, p Packet) {
	seq := t.add(path, true, Hop{Action: ActionNoRoute, Blocked: true, Component: D.comp, AttachedTo: D.attached, Subnet: subnetComp(D), Packet: p})
	t.blockOn(fs, true, Timeout, func() Explanation {
		inst := D.instance
		m := "the reply of " + inst.name + " to " + a.srcSeen.String() + " takes the host route " + inst.docker0.String() + " dev docker0 (Docker's " + docker0What(inst) +
			"), more specific than its default route, so it never reaches the client; set the Docker daemon's bip to another range in the instance's user data, or use awsvpc mode"
		if a.bridged {
			m = "the bridge-mode container that accepted the connection on " + inst.name + " answers " + a.srcSeen.String() + " on its own link, Docker's " + docker0What(inst) + " network " + inst.docker0.String() +
				" (docker0), where nothing answers for the client, so the reply never leaves the instance; set the Docker daemon's bip to another range in the instance's user data, or use awsvpc mode"
		}
		if why := inst.bipIgnored; why != "" {
			m += " (" + why + ")"
		}
		return Explanation{Code: CodeDocker0Overlap, Path: "return", Hop: seq, Component: D.comp, Address: a.srcSeen, Message: m, clause: m}
	})
}
