package reach

import "github.com/ecsnet/ecsnet/internal/model"

// Site-to-Site VPN: a route whose target is a virtual private gateway
// sends the packet out of the VPC, over the gateway's VPN connections, to
// the on-premises network. The analyzer does not model the customer's
// network: the packet leaves the modelled network there, as it does to an
// internet host. Nothing from the internet enters through a virtual
// private gateway: it carries only the VPN's traffic (vpn-gateway docs).

// viaVPN: to the on-premises network through a virtual private gateway.
const viaVPN pathKind = 100

func (n *Network) vgwComp(id string) *Component {
	c := &Component{Type: "vpn-gateway", ID: id, ARN: n.arn("ec2", "vpn-gateway/"+id)}
	if g := n.st.VpnGateways[model.VpnGatewayID(id)]; g != nil {
		c.Name = g.Tags.Name()
	}
	return c
}

// vgwRoutes returns a route table's routes with those its propagating
// virtual private gateways add.
func (n *Network) vgwRoutes(rt *model.RouteTable) []model.Route {
	prop := n.st.PropagatedRoutes(rt)
	if len(prop) == 0 {
		return rt.Routes
	}
	return append(append(make([]model.Route, 0, len(rt.Routes)+len(prop)), rt.Routes...), prop...)
}

// throughVgw carries a packet the source subnet routes to a virtual
// private gateway out of the VPC to the on-premises network.
func (t *tracer) throughVgw(fs *flowState, f *flow, path *[]Hop, S *eniNode, rr *rtRoute, p Packet) arrival {
	c := t.n.vgwComp(rr.route.TargetID)
	if !t.aclCheck(fs, path, false, S.subnet, true, p) {
		return arrival{}
	}
	t.add(path, false, Hop{Action: ActionExited, Component: c, Packet: p, Route: rr.view,
		Note: "the virtual private gateway carries the packet over its VPN connections to the on-premises network"})
	return arrival{reached: true, exited: true, srcSeen: f.src, dstAddr: f.dst, kind: viaVPN, vgw: c}
}

// replyFromVPN carries an on-premises host's reply back in through the
// virtual private gateway to the source.
func (t *tracer) replyFromVPN(fs *flowState, f *flow, a *arrival, path *[]Hop, p Packet) {
	t.add(path, true, Hop{Action: ActionRouted, Component: a.vgw, Packet: p,
		Note: "the reply comes back from the on-premises network over the VPN connection"})
	p.Destination = f.src
	if S := f.srcENI; S != nil {
		t.aclCheck(fs, path, true, S.subnet, false, p)
		t.received(path, S, p)
	}
}

// edgeRoute applies the gateway route table of the gateway gw (an edge
// association) to a packet entering the VPC through it: the route for its
// destination decides where it goes (gateway-route-tables.md). The local
// route delivers it as usual; a route to a middlebox appliance sends it
// somewhere ecsnet does not follow. It reports whether the packet goes on
// to its destination.
func (t *tracer) edgeRoute(fs *flowState, path *[]Hop, gw *Component, p Packet) (bool, []inspectionPass) {
	rt := t.edgeTable(gw)
	if rt == nil {
		return true, nil
	}
	rr := rt.lookup(p.Destination)
	if rr == nil {
		seq := t.add(path, false, Hop{Action: ActionNoRoute, Blocked: true, Component: rt.comp, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			msg := "the gateway route table " + rt.comp.Label() + " of " + gw.Label() + " has no route to " + p.Destination.String()
			return Explanation{Code: CodeNoRouteToDestination, Path: "forward", Hop: seq, Component: rt.comp, Address: p.Destination, Message: msg, clause: msg}
		})
		return false, nil
	}
	if rr.route.Target == model.TargetLocal {
		t.add(path, false, Hop{Action: ActionRouted, Component: rt.comp, Packet: p, Route: rr.view,
			Note: "the gateway route table of " + gw.Label() + " routes traffic entering the VPC"})
		return true, nil
	}
	seq := t.add(path, false, Hop{Action: ActionRouted, Component: rt.comp, Packet: p, Route: rr.view})
	if rr.route.Target == model.TargetVpcEndpoint {
		if ep := t.n.endpoint(model.VpcEndpointID(rr.route.TargetID)); ep != nil && ep.gwlb() {
			var via []inspectionPass
			if len(ep.ep.Subnets) > 0 {
				if sub := t.n.subnet(ep.ep.Subnets[0]); sub != nil {
					via = []inspectionPass{{zone: sub.subnet.AvailabilityZone, by: ep.comp, inbound: true}}
				}
			}
			return t.edgeThroughGWLB(fs, path, ep, p), via
		}
	}
	t.block(fs, Unknown, func() Explanation {
		msg := "the gateway route table " + rt.comp.Label() + " of " + gw.Label() + " sends " + p.Destination.String() + " to " + rr.route.TargetID +
			" (" + rr.route.Target.String() + ") before it reaches its subnet; ecsnet does not model traffic through an appliance"
		return Explanation{Code: CodeUnsupportedComponent, Path: "forward", Hop: seq, Route: rr.view, Message: msg, clause: msg}
	})
	return false, nil
}
