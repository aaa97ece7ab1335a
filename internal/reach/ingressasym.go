package reach

import (
	"net/netip"
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Ingress routing symmetry: a flow between the internet and a subnet
// that goes through a Gateway Load Balancer endpoint (an appliance) or an
// AWS Network Firewall endpoint of the VPC must go through the same
// endpoint both ways. The subnet's route table sends its outbound traffic
// to the endpoint, and the internet gateway's route table (an edge
// association) sends the subnet's range back through it ("Proper route
// table configuration maintains flow symmetry", GWLB distributed
// inspection reference architecture; "Network Firewall doesn't support
// asymmetric routing ... the traffic must be routed to the Network
// Firewall endpoint in both directions", Network Firewall developer
// guide, "Avoiding asymmetric routing"). GWLB's appliances are stateful
// firewalls (the GWLB keeps a flow on one appliance so that it can be):
// ecsnet takes one that sees a flow's one direction only to drop it
// [probable for third-party appliances; documented for Network
// Firewall]: the verdict is a timeout, ECS_INGRESS_ROUTING_ASYMMETRIC,
// with the route that restores symmetry.

// ownEndpoints are the Gateway Load Balancer (and Network Firewall)
// endpoints of VPC vpc among a request's inspection passes, those it
// passed after it came in by the internet gateway (inbound) or those it
// passed on its way out. A reply is held to the endpoints of its own leg
// only: a request that left one VPC through a firewall and came into
// another (or back into its own, to a load balancer's public address)
// met each endpoint in one leg, which the reply's matching leg must pass.
func (t *tracer) ownEndpoints(passes []inspectionPass, inbound bool, vpc model.VpcID) []*Component {
	var out []*Component
	for _, ps := range passes {
		if ps.att != nil || ps.by == nil || ps.by.Type != "vpc-endpoint" || ps.inbound != inbound {
			continue
		}
		if ep := t.n.endpoint(model.VpcEndpointID(ps.by.ID)); ep != nil && ep.ep.VpcID != vpc {
			continue
		}
		out = append(out, ps.by)
	}
	return out
}

func holdsComponent(cs []*Component, c *Component) bool {
	return slices.ContainsFunc(cs, func(x *Component) bool { return x.ID == c.ID })
}

// edgeSymmetric checks a reply the internet gateway gw lets in for the
// subnet sn (the request's source: an interface, or the NAT gateway that
// translated it), whose gateway route table rt (nil: none) sends it to ep
// (nil: straight to the subnet), against the endpoints fwd the request
// passed. It explains an asymmetric flow and reports whether the reply
// goes on.
func (t *tracer) edgeSymmetric(fs *flowState, path *[]Hop, gw *Component, rt *routeTable, ep *endpointNode, sn *subnetNode, fwd []inspectionPass, p Packet) bool {
	var passed []*Component
	if sn != nil {
		passed = t.ownEndpoints(fwd, false, sn.subnet.VpcID)
	}
	own := t.statefulFor(fs, passed, p)
	met := ep != nil && !holdsComponent(passed, ep.comp) && t.firewallOrAppliance(ep) && !t.unseenReplyPasses(ep, p)
	bypassed := len(own) > 0 && (ep == nil || !holdsComponent(own, ep.comp)) && !t.replyNeedsNoState(fs)
	if !met && !bypassed {
		return true
	}
	where := "its gateway route table"
	if rt != nil {
		where = "its gateway route table " + rt.comp.Label()
	}
	var m string
	x := Explanation{Code: CodeIngressAsymmetric, Path: "return", Address: p.Destination}
	by := ep
	switch {
	case !met:
		// The request went out through an endpoint whose stateful
		// engine holds the flow; the reply comes in around it.
		last := own[len(own)-1]
		m = "the request went out through " + pointLabel(last) + ", but " + gw.Label() + " sends the reply for " + p.Destination.String()
		if ep == nil {
			m += " straight to " + subnetLabelOf(sn) + " (" + where + " has no route for the subnet's range to the endpoint)"
		} else {
			m += " to " + pointLabel(ep.comp) + ", around it"
		}
		m += ", so the appliance sees one direction of the flow and drops it (asymmetric routing: the client's handshake completes around it, the rest of the connection meets a stateful engine that never saw the reply). " +
			"Route " + subnetCIDR(sn) + " to " + last.ID + " in the internet gateway's route table (an edge association)"
		x.Component = last
		seq := t.add(path, true, Hop{Action: ActionDropped, Blocked: true, Component: last, Packet: p})
		x.Hop = seq
	default:
		// The reply meets an endpoint the request did not pass.
		if len(own) == 0 {
			own = passed
		}
		m = "the reply for " + p.Destination.String() + " enters by " + where + ", which sends it to " + pointLabel(by.comp) + ", but the request "
		if len(own) == 0 {
			m += "left " + subnetLabelOf(sn) + " past it"
		} else {
			m += "went through " + pointLabel(own[len(own)-1])
		}
		m += ", so the appliance sees one direction of the flow and drops it (asymmetric routing). Route the subnet's traffic to the internet through " + by.comp.ID + " too"
		x.Component = by.comp
		if sn != nil && sn.rt != nil {
			if rr := sn.rt.lookup(p.Source); rr != nil {
				x.Route = rr.view
			}
		}
		seq := t.add(path, true, Hop{Action: ActionDropped, Blocked: true, Component: by.comp, Packet: p})
		x.Hop = seq
	}
	x.Message, x.clause = m, m
	t.blockOn(fs, true, Timeout, func() Explanation { return x })
	return false
}

// replySymmetric checks the reply of a flow that came in from the
// internet to D (through the endpoints in fwd, by the internet gateway's
// route table), which D's subnet route rr sends back. It explains an
// asymmetric flow and reports whether the reply goes on.
func (t *tracer) replySymmetric(fs *flowState, path *[]Hop, D *eniNode, rr *rtRoute, fwd []inspectionPass, p Packet) bool {
	var passed []*Component
	if D.subnet != nil {
		passed = t.ownEndpoints(fwd, true, D.subnet.subnet.VpcID)
	}
	own := t.statefulFor(fs, passed, p)
	ep, _ := t.inspectionTarget(rr)
	met := ep != nil && !holdsComponent(passed, ep.comp) && t.firewallOrAppliance(ep) && !t.unseenReplyPasses(ep, p)
	bypassed := len(own) > 0 && (ep == nil || !holdsComponent(own, ep.comp)) && !t.replyNeedsNoState(fs)
	if !met && !bypassed {
		return true
	}
	x := Explanation{Code: CodeIngressAsymmetric, Path: "return", Address: p.Source}
	var m string
	if len(own) == 0 {
		own = passed // a reply that meets another endpoint, the request's stateless
	}
	if len(own) > 0 {
		first := own[0]
		m = "the request came in from the internet through " + pointLabel(first) + " (the internet gateway's route table), but the route table of " + subnetLabelOf(D.subnet) +
			" sends the reply to " + rr.route.TargetID + ", "
		if ep != nil {
			m += "another endpoint, "
		} else {
			m += "past the endpoint, "
		}
		m += "so the appliance sees one direction of the flow and drops it (asymmetric routing). Route the subnet's " + rr.prefix.String() + " to " + first.ID
		x.Component, x.Route = first, rr.view
	} else {
		m = "the request came in from the internet straight to " + subnetLabelOf(D.subnet) + ", but its route table sends the reply to " + pointLabel(ep.comp) +
			", so the appliance sees one direction of the flow and drops it (asymmetric routing). Route " + subnetCIDR(D.subnet) + " to " + ep.comp.ID + " in the internet gateway's route table (an edge association)"
		x.Component, x.Address = ep.comp, p.Source
	}
	seq := t.add(path, true, Hop{Action: ActionDropped, Blocked: true, Component: x.Component, Packet: p})
	x.Hop, x.Message, x.clause = seq, m, m
	t.blockOn(fs, true, Timeout, func() Explanation { return x })
	return false
}

// statefulFor narrows the endpoints a request passed to those whose
// stateful engine holds its flow (p is the reply, the request's
// addresses at the endpoint swapped). A Network Firewall endpoint whose
// stateless rules passed the request (aws:pass: "Discontinues all
// inspection of the packet and permits it to go to its intended
// destination", RuleDefinition, Network Firewall API) keeps no state of
// it, so a reply that goes around it is not asymmetric to it: the
// client's later packets meet the same stateless rule. A GWLB
// appliance, and a firewall whose policy the state lacks, hold every
// flow they pass [probable].
func (t *tracer) statefulFor(fs *flowState, passed []*Component, p Packet) []*Component {
	var out []*Component
	for _, c := range passed {
		id := model.VpcEndpointID(c.ID)
		how, ok := fs.firewalls[firewallFlow{id, p.Destination, p.Source}]
		if !ok {
			// The request's addresses at the endpoint differ from the
			// reply's here (a NAT gateway translated it past the
			// endpoint): how the endpoint took the request, if it
			// took one flow only.
			for k, v := range fs.firewalls {
				if k.ep == id {
					if ok && v != how {
						how = 0
						break
					}
					how, ok = v, true
				}
			}
		}
		if ok && how == firewallSeen {
			continue
		}
		out = append(out, c)
	}
	return out
}

// replyNeedsNoState reports whether the reply being walked reaches the
// client whatever an endpoint its request passed would have made of it,
// when it goes around that endpoint: nothing of the flow comes after it
// for the endpoint to judge without having seen it. A UDP datagram (or
// the ICMP error of a closed port) and an ICMP echo reply are the whole
// answer; a TCP reset of the SYN (the port is closed, or a Network Load
// Balancer's TCP listener passes its target's on) ends the connection,
// and the client is refused. A load balancer that completed the
// handshake before it resets (a Classic Load Balancer without
// instances, a TLS listener) sends a reply that went on: a timeout. Only a TCP
// connection that goes on needs the endpoint to have seen its SYN-ACK:
// the client's ACK and data meet a stateful engine that saw its SYN and
// not the SYN-ACK, a stream broken midstream, which Network Firewall's
// default stream exception policy drops ("Drop - Network Firewall fails
// closed and drops all subsequent traffic going to the firewall",
// stream-exception-policy.html) [probable for UDP, ICMP and resets: AWS
// documents only that asymmetric routing is not supported, and a packet
// that does not pass an endpoint cannot be dropped by it; the data
// plane's conntrack agrees].
func (t *tracer) replyNeedsNoState(fs *flowState) bool {
	switch {
	case t.echo, t.proto == model.UDP, t.proto == model.ICMP, t.proto == model.ICMPv6:
		return true
	case t.proto == model.TCP:
		return fs.blocked && fs.verdict == Refused || t.replyReset
	}
	return false
}

// unseenReplyPasses reports whether endpoint ep, which the request did
// not pass, lets reply p through on its own terms, so that gwlbPass
// judges it rather than the symmetry check: a Network Firewall endpoint
// whose stateless rules pass (or drop) the reply without the stateful
// engine, and a UDP datagram, which is a new flow to a stateful engine
// or appliance that never saw its request (Network Firewall's stateful
// rules judge it as one; a GWLB appliance forwards it, gwlb.go
// [choice]). A TCP segment or ICMP reply the stateful engine never saw
// start, a reset included, is dropped.
func (t *tracer) unseenReplyPasses(ep *endpointNode, p Packet) bool {
	if t.proto == model.UDP && !t.replyICMP {
		return true
	}
	fw := t.n.st.FirewallOfEndpoint(ep.ep.ID)
	if fw == nil {
		return false
	}
	fl := model.FirewallFlow{Protocol: t.protoName(), Source: p.Source, Destination: p.Destination, SourcePort: p.SourcePort, DestPort: p.DestinationPort}
	return !firewallDecide(&fw.Policy, t.firewallHome(fw), fl, true).sfe
}

// firewallOrAppliance reports whether a GWLB endpoint is a stateful
// inspection point: a Network Firewall endpoint, or one of a GWLB with
// appliances (every GWLB endpoint) [probable].
func (t *tracer) firewallOrAppliance(ep *endpointNode) bool { return ep.gwlb() }

func subnetLabelOf(sn *subnetNode) string {
	if sn == nil {
		return "the subnet"
	}
	return "subnet " + sn.comp.Label()
}

func subnetCIDR(sn *subnetNode) string {
	if sn == nil || sn.subnet == nil {
		return "the subnet's range"
	}
	return sn.subnet.CIDR.String()
}

// ingressAsymmetric is lint's check of ingress routing without a probe: a
// subnet whose route to the internet goes through a GWLB (or Network
// Firewall) endpoint to the internet gateway while the gateway's route
// table does not send the subnet's range back through that endpoint, or
// whose route goes straight to the gateway while the gateway's route
// table sends its range to an endpoint: every flow between the subnet and
// the internet meets the appliance one way only
// (ECS_INGRESS_ROUTING_ASYMMETRIC).
func (l *linter) ingressAsymmetric() {
	n := l.n
	t := &tracer{n: n, quiet: true}
	internet := netip.MustParseAddr("198.51.100.7")
	for _, sub := range sortedMap(n.st.Subnets) {
		sn := n.subnet(sub.ID)
		if sn == nil || sn.rt == nil || sn.vpc == nil || sn.vpc.igwC == nil {
			continue
		}
		rr := sn.rt.lookup(internet)
		if rr == nil || !rr.active {
			continue
		}
		outEp, _ := t.inspectionTarget(rr)
		if outEp == nil && rr.route.Target != model.TargetInternetGateway {
			continue
		}
		if outEp != nil {
			if past := n.pastGWLBEndpoints(sn, internet); past == nil || past.route.Target != model.TargetInternetGateway {
				continue // on to a NAT gateway, a transit gateway …: not ingress routing
			}
		}
		var inEp *endpointNode
		if edge := t.edgeTable(sn.vpc.igwC); edge != nil {
			inEp, _ = t.inspectionTarget(edge.lookup(sub.CIDR.Addr()))
		}
		switch {
		case outEp == nil && inEp == nil, outEp != nil && inEp != nil && outEp.ep.ID == inEp.ep.ID:
			continue
		case (outEp == nil || n.statelessOnly(outEp)) && (inEp == nil || n.statelessOnly(inEp)):
			continue // no stateful engine to see one direction only
		case outEp != nil:
			l.add(SeverityWarning, CodeIngressAsymmetric, sn.comp,
				"subnet "+sn.comp.Label()+" sends its traffic to the internet through "+pointLabel(outEp.comp)+", but the internet gateway "+sn.vpc.igwC.Label()+
					" does not send the subnet's range "+sub.CIDR.String()+" back through it: the appliance sees one direction of each flow and drops it (asymmetric routing)",
				"route "+sub.CIDR.String()+" to "+string(outEp.ep.ID)+" in the internet gateway's route table (an edge association: aws ec2 associate-route-table --gateway-id, then aws ec2 create-route --vpc-endpoint-id)")
		default:
			l.add(SeverityWarning, CodeIngressAsymmetric, sn.comp,
				"the internet gateway "+sn.vpc.igwC.Label()+"'s route table sends subnet "+sn.comp.Label()+"'s range "+sub.CIDR.String()+" to "+pointLabel(inEp.comp)+
					", but the subnet's route table sends its traffic to the internet straight to the gateway: the appliance sees one direction of each flow and drops its TCP connections (asymmetric routing)",
				"route the subnet's 0.0.0.0/0 to "+string(inEp.ep.ID)+" (aws ec2 replace-route --route-table-id "+sn.rt.comp.ID+" --destination-cidr-block 0.0.0.0/0 --vpc-endpoint-id "+string(inEp.ep.ID)+")")
		}
	}
}

// statelessOnly reports whether endpoint ep is one of a Network Firewall
// whose stateless rules decide every packet (the default action aws:pass
// or aws:drop, no rule forwarding to the stateful engine): it keeps no
// state, so no flow is asymmetric to it.
func (n *Network) statelessOnly(ep *endpointNode) bool {
	fw := n.st.FirewallOfEndpoint(ep.ep.ID)
	if fw == nil {
		return false
	}
	if d := fw.Policy.StatelessDefault; d != "aws:pass" && d != "aws:drop" {
		return false
	}
	for _, r := range fw.Policy.StatelessRules {
		if r.Action == "aws:forward_to_sfe" {
			return false
		}
	}
	return true
}

// replyAround checks a reply about to reach its client by way of by (the
// client's transit gateway attachment, a peering connection) against the
// inspection points its request went through (fwd): a stateful one the
// reply did not go through (fs.replyMet) saw one direction of the flow
// only. The paths diverge wherever routes send the two directions apart:
// the request left the client's VPC through the VPC's own firewall
// endpoint while the reply comes into the VPC at its attachment and by
// the local route straight to the client, or one direction takes a
// peering connection (more specific than the transit gateway's route)
// around an inspection VPC the other direction crosses. The client's
// later packets (its ACK, its data) meet the engine that saw the SYN and
// not the SYN-ACK, which drops them: Network Firewall "doesn't support
// asymmetric routing" and its stream exception policy drops a stream it
// picks up midstream (stream-exception-policy.html); a GWLB appliance is
// a stateful firewall that must see both directions (GWLB guide, flow
// stickiness; Transit Gateway appliance mode) [probable for third-party
// appliances]. A reply that needs no state of the flow to reach the
// client (a UDP answer, an echo reply, a reset: replyNeedsNoState) goes
// on. It reports whether the reply goes on.
func (t *tracer) replyAround(fs *flowState, path *[]Hop, fwd []inspectionPass, by *Component, p Packet) bool {
	if len(fwd) == 0 || fs.blocked && fs.verdict != Refused || t.replyNeedsNoState(fs) {
		return true
	}
	var skipped *inspectionPass
	for i := range fwd {
		ps := &fwd[i]
		if ps.by == nil || slices.Contains(fs.replyMet, ps.by.ID) {
			continue
		}
		if ps.by.Type == "vpc-endpoint" {
			if len(t.statefulFor(fs, []*Component{ps.by}, p)) == 0 {
				continue // a stateless pass keeps no state of the flow
			}
			ep := t.n.endpoint(model.VpcEndpointID(ps.by.ID))
			if ep != nil && t.n.statelessOnly(ep) {
				continue
			}
			// Another endpoint of the same Gateway Load Balancer
			// (cross-zone) may have sent the reply to the appliance
			// that took the request: it holds the flow.
			if ep != nil && !firewallEndpoint(ep) {
				if a := t.applianceOf(ep); a != "" && slices.Contains(fs.replyMet, a) {
					continue
				}
			}
		}
		skipped = ps
		break
	}
	if skipped == nil {
		return true
	}
	seq := t.add(path, true, Hop{Action: ActionDropped, Blocked: true, Component: skipped.by, Packet: p})
	t.blockOn(fs, true, Timeout, func() Explanation {
		m := "the request went through " + pointLabel(skipped.by)
		if skipped.att != nil {
			m += " (the inspection VPC " + string(skipped.att.VpcID) + " behind transit gateway attachment " + string(skipped.att.ID) + ")"
		} else if ep := t.n.endpoint(model.VpcEndpointID(skipped.by.ID)); ep != nil {
			m += " (an endpoint of " + string(ep.ep.VpcID) + " on its way out)"
		}
		m += ", but the reply for " + p.Destination.String() + " comes back by " + by.Label() + " and reaches the client around it, so the stateful engine sees one direction of the flow: " +
			"the client's handshake completes around it and the rest of the connection meets an engine that never saw the reply, which drops it (asymmetric routing). " +
			"Route both directions of the flow through the same inspection point"
		if skipped.att == nil {
			m += " (the route table the reply enters the VPC by, a transit gateway attachment subnet's or a peering connection's, sending the client's subnet to " + skipped.by.ID + ")"
		} else {
			m += " (the same transit gateway route both ways, or no more specific route around the inspection VPC)"
		}
		return Explanation{Code: CodeApplianceAsymmetric, Path: "return", Hop: seq, Component: skipped.by, Address: p.Destination, Message: m, clause: m}
	})
	return false
}
