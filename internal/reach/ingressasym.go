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
	var own []*Component
	if sn != nil {
		own = t.ownEndpoints(fwd, false, sn.subnet.VpcID)
	}
	if ep == nil && len(own) == 0 || ep != nil && holdsComponent(own, ep.comp) {
		return true
	}
	if ep != nil && len(own) == 0 && !t.firewallOrAppliance(ep) {
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
	case len(own) > 0 && ep == nil:
		// The request went out through an endpoint; the reply comes in
		// straight to the subnet.
		last := own[len(own)-1]
		m = "the request went out through " + pointLabel(last) + ", but " + gw.Label() + " sends the reply for " + p.Destination.String() +
			" straight to " + subnetLabelOf(sn) + " (" + where + " has no route for the subnet's range to the endpoint), so the appliance sees one direction of the flow and drops it (asymmetric routing). " +
			"Route " + subnetCIDR(sn) + " to " + last.ID + " in the internet gateway's route table (an edge association)"
		x.Component = last
		seq := t.add(path, true, Hop{Action: ActionDropped, Blocked: true, Component: last, Packet: p})
		x.Hop = seq
	default:
		// The reply meets an endpoint the request did not pass.
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
	var own []*Component
	if D.subnet != nil {
		own = t.ownEndpoints(fwd, true, D.subnet.subnet.VpcID)
	}
	ep, _ := t.inspectionTarget(rr)
	if ep == nil && len(own) == 0 || ep != nil && holdsComponent(own, ep.comp) {
		return true
	}
	if ep != nil && len(own) == 0 && !t.firewallOrAppliance(ep) {
		return true
	}
	x := Explanation{Code: CodeIngressAsymmetric, Path: "return", Address: p.Source}
	var m string
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
		case outEp != nil:
			l.add(SeverityWarning, CodeIngressAsymmetric, sn.comp,
				"subnet "+sn.comp.Label()+" sends its traffic to the internet through "+pointLabel(outEp.comp)+", but the internet gateway "+sn.vpc.igwC.Label()+
					" does not send the subnet's range "+sub.CIDR.String()+" back through it: the appliance sees one direction of each flow and drops it (asymmetric routing)",
				"route "+sub.CIDR.String()+" to "+string(outEp.ep.ID)+" in the internet gateway's route table (an edge association: aws ec2 associate-route-table --gateway-id, then aws ec2 create-route --vpc-endpoint-id)")
		default:
			l.add(SeverityWarning, CodeIngressAsymmetric, sn.comp,
				"the internet gateway "+sn.vpc.igwC.Label()+"'s route table sends subnet "+sn.comp.Label()+"'s range "+sub.CIDR.String()+" to "+pointLabel(inEp.comp)+
					", but the subnet's route table sends its traffic to the internet straight to the gateway: the appliance sees one direction of each flow and drops it (asymmetric routing)",
				"route the subnet's 0.0.0.0/0 to "+string(inEp.ep.ID)+" (aws ec2 replace-route --route-table-id "+sn.rt.comp.ID+" --destination-cidr-block 0.0.0.0/0 --vpc-endpoint-id "+string(inEp.ep.ID)+")")
		}
	}
}
