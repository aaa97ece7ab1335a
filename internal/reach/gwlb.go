package reach

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// maxGWLBPasses bounds how many Gateway Load Balancer endpoints one packet
// passes through on one path (a route table that sends the packet back to
// an endpoint it just left is a loop).
const maxGWLBPasses = 4

// forwardThroughGWLB carries a packet that a route sends to a Gateway Load
// Balancer endpoint: the endpoint hands it to its GWLB, which sends it
// (GENEVE, UDP 6081) to a healthy appliance; the appliance returns it to
// the endpoint, and the endpoint gives it back to the VPC router, which
// routes it by the route table of the endpoint's subnet (PrivateLink
// guide, "Gateway Load Balancer endpoints"; "bump in the wire"). ecsnet
// assumes every healthy appliance returns the packet unchanged.
func (t *tracer) forwardThroughGWLB(fs *flowState, f *flow, path *[]Hop, S *eniNode, ep *endpointNode, p Packet) arrival {
	cur := S.subnet
	var passed []inspectionPass
	for i := 0; ; i++ {
		if i == maxGWLBPasses {
			t.block(fs, NoRoute, func() Explanation {
				m := "the packet went through " + strconv.Itoa(maxGWLBPasses) + " Gateway Load Balancer endpoints and the route table of " + ep.comp.Label() +
					"'s subnet sends it to one again: a routing loop"
				return Explanation{Code: CodeCannotRoute, Path: "forward", Component: ep.comp, Message: m, clause: m}
			})
			return arrival{}
		}
		sub, ok := t.gwlbPass(fs, path, false, cur, ep, p)
		if !ok {
			return arrival{}
		}
		passed = append(passed, inspectionPass{zone: sub.subnet.AvailabilityZone, by: ep.comp})
		rr, ok := t.route(fs, path, false, sub, p, f.dst)
		if !ok {
			return arrival{}
		}
		// From here the packet leaves the endpoint's subnet: the rest of
		// the path sees that subnet (its network ACL, its VPC).
		moved := *S
		moved.subnet = sub
		S, cur = &moved, sub
		next, _ := t.inspectionTarget(rr)
		if rr.route.Target != model.TargetVpcEndpoint || next == nil {
			a := t.onRoute(fs, f, path, S, rr, p)
			a.inspected = append(passed, a.inspected...)
			return a
		}
		ep = next
	}
}

// applianceOf returns the appliance of a Gateway Load Balancer endpoint
// that is no Network Firewall's, as "load balancer id, appliance" (the
// mark gwlbPass leaves in flowState.replyMet), or "".
func (t *tracer) applianceOf(ep *endpointNode) string {
	if len(ep.ep.Subnets) == 0 {
		return ""
	}
	sub := t.n.subnet(ep.ep.Subnets[0])
	if sub == nil {
		return ""
	}
	lb, known := t.endpointGWLB(ep, sub.subnet.AvailabilityZone)
	if !known || lb == nil {
		return ""
	}
	if who, _, _, _ := t.gwlbAppliance(lb, sub.subnet.AvailabilityZone); who != "" {
		return lb.comp.ID + " " + who
	}
	return ""
}

// pastGWLBEndpoints returns the route that decides where a packet for dst
// goes from subnet sn once the Gateway Load Balancer endpoints its routes
// name have handed it back (the route table of each endpoint's subnet; the
// appliances count as healthy: configuration only, for lint and exposure).
// Without such a route it is sn's own route, found without allocating.
func (n *Network) pastGWLBEndpoints(sn *subnetNode, dst netip.Addr) *rtRoute {
	rr := sn.rt.lookup(dst)
	for i := 0; i < maxGWLBPasses && rr != nil && rr.active && rr.route.Target == model.TargetVpcEndpoint; i++ {
		ep := n.endpoint(model.VpcEndpointID(rr.route.TargetID))
		if ep == nil || !ep.gwlb() || len(ep.ep.Subnets) == 0 {
			return rr
		}
		sub := n.subnet(ep.ep.Subnets[0])
		if sub == nil || sub.rt == nil {
			return rr
		}
		rr = sub.rt.lookup(dst)
	}
	return rr
}

// replyThroughGWLB carries a reply that the route rr of subnet sn sends to
// a Gateway Load Balancer endpoint through the appliances, and returns the
// route the endpoint's subnet then takes it by (nil when it goes no
// further).
func (t *tracer) replyThroughGWLB(fs *flowState, path *[]Hop, sn *subnetNode, rr *rtRoute, p Packet) *rtRoute {
	for i := 0; i < maxGWLBPasses; i++ {
		if rr.route.Target != model.TargetVpcEndpoint {
			return rr
		}
		ep := t.n.endpoint(model.VpcEndpointID(rr.route.TargetID))
		if ep == nil || !ep.gwlb() {
			return rr
		}
		sub, ok := t.gwlbPass(fs, path, true, sn, ep, p)
		if !ok {
			return nil
		}
		if rr, ok = t.route(fs, path, true, sub, p, p.Destination); !ok {
			return nil
		}
		sn = sub
	}
	t.blockOn(fs, true, Timeout, func() Explanation {
		m := "the reply went through " + strconv.Itoa(maxGWLBPasses) + " Gateway Load Balancer endpoints and is sent to one again: a routing loop"
		return Explanation{Code: CodeCannotRoute, Path: "return", Message: m, clause: m}
	})
	return nil
}

// edgeThroughGWLB carries a packet that a gateway route table (an edge
// association) sends to a Gateway Load Balancer endpoint through the
// appliances; back at the endpoint, its subnet's route table must deliver
// it locally. It reports whether the packet goes on to its destination.
func (t *tracer) edgeThroughGWLB(fs *flowState, path *[]Hop, ep *endpointNode, p Packet) bool {
	sub, ok := t.gwlbPass(fs, path, false, nil, ep, p)
	if !ok {
		return false
	}
	rr, ok := t.route(fs, path, false, sub, p, p.Destination)
	if !ok {
		return false
	}
	if rr.route.Target != model.TargetLocal {
		t.block(fs, Unknown, func() Explanation {
			m := "the route table of " + sub.comp.Label() + ", where Gateway Load Balancer endpoint " + ep.comp.Label() + " returns the packet, sends " +
				p.Destination.String() + " to " + rr.route.TargetID + " (" + rr.route.Target.String() + "), not to the VPC; ecsnet follows only the local route here"
			return Explanation{Code: CodeUnsupportedComponent, Path: "forward", Route: rr.view, Message: m, clause: m}
		})
		return false
	}
	return true
}

// gwlbPass takes a packet from subnet cur (nil: from a gateway) into the Gateway Load Balancer
// endpoint ep and through its GWLB's appliances, and returns the
// endpoint's subnet, where the packet comes back. It fails (and explains)
// when the endpoint is not available, its service or GWLB is gone, or no
// appliance in the endpoint's zone (any zone, with cross-zone load
// balancing) is healthy.
//
// With no healthy appliance, AWS sends to the unhealthy ones (fail-open,
// as ELB target groups do; ELB's documentation of the GWLB case is
// silent): ecsnet counts an appliance that fails its health check as one
// that does not return the packet [choice], so the packet is dropped.
func (t *tracer) gwlbPass(fs *flowState, path *[]Hop, ret bool, cur *subnetNode, ep *endpointNode, p Packet) (*subnetNode, bool) {
	n := t.n
	var sub *subnetNode
	if len(ep.ep.Subnets) > 0 {
		sub = n.subnet(ep.ep.Subnets[0])
	}
	fail := func(code string, v Verdict, c *Component, m string) (*subnetNode, bool) {
		seq := t.add(path, ret, Hop{Action: ActionDropped, Blocked: true, Component: c, Packet: p})
		t.blockOn(fs, ret, v, func() Explanation {
			return Explanation{Code: code, Path: pathName(ret), Hop: seq, Component: c, Message: m, clause: m}
		})
		return nil, false
	}
	if sub == nil || sub.rt == nil {
		return fail(CodeBadStateRoute, NoRoute, ep.comp, "Gateway Load Balancer endpoint "+ep.comp.Label()+" has no subnet the state holds")
	}
	if sub != cur {
		if !t.aclCheck(fs, path, ret, cur, true, p) || !t.aclCheck(fs, path, ret, sub, false, p) {
			return nil, false
		}
	}
	seq := t.add(path, ret, Hop{Action: ActionRouted, Component: ep.comp, Subnet: sub.comp, Packet: p,
		Note: "a Gateway Load Balancer endpoint: the packet goes to the appliances behind its Gateway Load Balancer and comes back here"})
	if st := ep.ep.State; !strings.EqualFold(st, "available") && st != "" { // snapshots spell it Available
		return fail(CodeBadState, Timeout, ep.comp, "Gateway Load Balancer endpoint "+ep.comp.Label()+" is "+st+", not available, so it forwards nothing"+
			acceptHint(st))
	}
	lb, known := t.endpointGWLB(ep, sub.subnet.AvailabilityZone)
	if !known && firewallEndpoint(ep) {
		next, ok := t.firewallPass(fs, path, ret, cur, ep, sub, p) // inspection.go
		if ok && ret {
			fs.replyMet = append(fs.replyMet, ep.comp.ID)
		}
		return next, ok
	}
	if !known {
		return fail(CodeUnsupportedComponent, Unknown, ep.comp, "the state does not hold the endpoint service "+ep.ep.ServiceName+
			" of Gateway Load Balancer endpoint "+ep.comp.Label()+" (its configuration is the service owner's), so ecsnet cannot tell which appliances the packet passes")
	}
	if lb == nil {
		return fail(CodeCannotRoute, Timeout, ep.comp, "the endpoint service "+ep.ep.ServiceName+" of "+ep.comp.Label()+
			" has no Gateway Load Balancer with a node in "+sub.subnet.AvailabilityZone)
	}
	who, code, why, geneve := t.gwlbAppliance(lb, sub.subnet.AvailabilityZone)
	if who == "" && geneve != nil {
		// The GENEVE packets are dropped on their way to the appliance:
		// what dropped them decided it, named as Reachability Analyzer
		// names a blocking component (the appliance's group, an ACL).
		m := "Gateway Load Balancer " + lb.comp.Label() + " (behind endpoint " + ep.comp.Label() + ") " + why
		seq := t.add(path, ret, Hop{Action: ActionDropped, Blocked: true, Component: lb.comp, Packet: p})
		t.blockOn(fs, ret, Timeout, func() Explanation {
			return Explanation{Code: code, Path: pathName(ret), Hop: seq, Component: lb.comp, Message: m, clause: m,
				Direction: geneve.Direction, NetworkInterface: geneve.NetworkInterface, SecurityGroups: geneve.SecurityGroups,
				ACLRule: geneve.ACLRule, Route: geneve.Route, SecurityGroupRule: geneve.SecurityGroupRule, Decided: geneve.Component,
				Protocol: "udp", Port: geneveUDPPort}
		})
		return nil, false
	}
	if who == "" {
		return fail(code, Timeout, lb.comp, "Gateway Load Balancer "+lb.comp.Label()+" (behind endpoint "+ep.comp.Label()+") "+why)
	}
	// The appliance's flow: the request's addresses there, swapped on
	// the reply (a reply whose addresses differ is another flow).
	key := lb.comp.ID + " " + who + " " + p.Source.String() + " " + p.Destination.String()
	if ret {
		key = lb.comp.ID + " " + who + " " + p.Destination.String() + " " + p.Source.String()
	}
	if !ret {
		if fs.appliances == nil {
			fs.appliances = map[string]bool{}
		}
		fs.appliances[key] = true
	} else if !fs.appliances[key] && t.proto != model.UDP {
		// A stateful appliance drops a reply of a flow it never saw
		// (the request went around the endpoint, or through another
		// appliance), as inspection.go's appliances do. A UDP datagram
		// of a flow it never saw is a new flow to it, which it forwards
		// ([choice], as the data plane's conntrack does).
		return fail(CodeApplianceAsymmetric, Timeout, lb.comp, "Gateway Load Balancer "+lb.comp.Label()+" (behind endpoint "+ep.comp.Label()+") sends the reply to the appliance "+who+
			", but the request did not go through it: a stateful appliance drops a reply of a flow it never saw (asymmetric routing). Route both directions through the same endpoint")
	}
	t.add(path, ret, Hop{Action: ActionForwarded, Component: lb.comp, Packet: p,
		Note: "GENEVE (UDP 6081) to the appliance " + who + ", which returns the packet to endpoint " + ep.comp.Label()})
	t.info(func() Explanation {
		by := "a gateway route table"
		if cur != nil && cur.rt != nil {
			by = "route table " + cur.rt.comp.Label()
		}
		return Explanation{Code: CodeGWLBInspected, Path: pathName(ret), Hop: seq, Component: lb.comp,
			Message: by + " sends the packet to Gateway Load Balancer endpoint " + ep.comp.Label() +
				"; Gateway Load Balancer " + lb.comp.Label() + " passes it through the appliance " + who + " and the endpoint hands it back to the VPC router, which routes it by the route table of " + sub.comp.Label()}
	})
	if ret {
		fs.replyMet = append(fs.replyMet, ep.comp.ID, lb.comp.ID+" "+who)
	}
	return sub, true
}

// geneveReaches reports whether the GWLB node's GENEVE packets (UDP 6081,
// from the node's private address) reach an appliance and its GENEVE
// replies come back: security groups and network ACLs must let them
// through ("forwards traffic to the target group ... using the GENEVE
// protocol on port 6081", Gateway Load Balancer guide). A UDP datagram
// that nothing answers is fine: the appliance's GENEVE endpoint is
// assumed.
func (t *tracer) geneveReaches(node *eniNode, lb *lbNode, tg *tgNode, x *lbTarget) bool {
	f := t.backendFlow(nil, node, lb, tg, x, geneveUDPPort)
	f.sport = geneveUDPPort
	q := tracer{n: t.n, quiet: true, proto: model.UDP, clientPort: geneveUDPPort, gwlbDepth: t.gwlbDepth}
	v, _ := q.connect(&f, nil, nil)
	return v == Connected || v == Refused
}

// geneveUDPPort is GENEVE's port, the one a Gateway Load Balancer sends
// its appliances the packets on ("Port: 6081", Gateway Load Balancer guide).
const geneveUDPPort = 6081

// geneveBlock traces the GENEVE packets of a GWLB node to an appliance hop
// by hop and returns what dropped them (the first blocking explanation),
// or nil; nil too when the tracer is quiet.
func (t *tracer) geneveBlock(node *eniNode, lb *lbNode, tg *tgNode, x *lbTarget) *Explanation {
	if t.quiet {
		return nil
	}
	f := t.backendFlow(nil, node, lb, tg, x, geneveUDPPort)
	f.sport = geneveUDPPort
	q := tracer{n: t.n, res: &Result{}, proto: model.UDP, clientPort: geneveUDPPort, gwlbDepth: t.gwlbDepth}
	var fwd, ret []Hop
	if _, fs := q.connect(&f, &fwd, &ret); fs.first >= 0 {
		return &q.res.Explanations[fs.first]
	}
	return nil
}

// acceptHint says what to do about an endpoint waiting for acceptance.
func acceptHint(state string) string {
	switch {
	case strings.EqualFold(state, "pendingAcceptance"):
		return "; the endpoint service's owner must accept it (AcceptVpcEndpointConnections)"
	case strings.EqualFold(state, "pending"):
		return "; AWS is still provisioning it: it carries traffic once its state is available"
	}
	return ""
}

// endpointCarries reports whether a VPC endpoint in that state carries
// traffic: only an available one does (a snapshot spells it Available;
// an empty state is a file's endpoint, available).
func endpointCarries(state string) bool {
	return state == "" || strings.EqualFold(state, "available")
}

// endpointGWLB returns the Gateway Load Balancer of a GWLB endpoint's
// service that serves the endpoint's zone: "the endpoint establishes a
// connection with only one load balancer per Availability Zone" (the first
// listed that has a node there); known is false when the state does not
// hold the service (a snapshot holds only the consumer's side).
func (t *tracer) endpointGWLB(ep *endpointNode, zone string) (*lbNode, bool) {
	id, ok := model.VpceServiceID(t.n.st.Region, ep.ep.ServiceName)
	if !ok {
		return nil, false
	}
	svc := t.n.st.EndpointServices[id]
	if svc == nil {
		return nil, false
	}
	for _, arn := range svc.GatewayLBs {
		lb := t.n.lbs[arn]
		if lb == nil {
			continue
		}
		if slices.Contains(lb.zones, zone) {
			return lb, true
		}
	}
	return nil, true
}

// gwlbAppliance returns a healthy appliance the GWLB node of a zone sends
// to (the first in registration order), or "" and why there is none.
// Healthy is ELB's health check: a connection from the node to the
// target's health check port (TCP 80 by default for GENEVE target groups).
//
// geneve is, when the GENEVE packets to a healthy appliance are dropped
// (CodeGWLBGeneveBlocked) and the tracer is not quiet, what dropped them.
func (t *tracer) gwlbAppliance(lb *lbNode, zone string) (who, code, why string, geneve *Explanation) {
	var l *listenerNode
	if len(lb.listeners) > 0 {
		l = lb.listeners[0]
	}
	if l == nil {
		return "", CodeGWLBNoHealthyTargets, "has no listener, so it sends the packet nowhere", nil
	}
	a, ok := terminalAction(l.l.DefaultActions)
	var tg *tgNode
	if ok && a.Type == "forward" {
		tg = t.forwardTarget(a)
	}
	if tg == nil {
		return "", CodeGWLBNoHealthyTargets, "has a listener that forwards to no target group", nil
	}
	if t.gwlbDepth >= maxGWLBPasses {
		return "", CodeGWLBNoHealthyTargets, "is reached again by its own health checks; ecsnet stops there", nil
	}
	t.gwlbDepth++
	defer func() { t.gwlbDepth-- }()
	anyRegistered, unhealthy, blocked := false, "", ""
	for i, node := range lb.nodes {
		if lb.zones[i] != zone {
			continue
		}
		targets, registered := t.targetsFor(node, lb, tg)
		anyRegistered = anyRegistered || registered
		for k := range targets {
			x := &targets[k]
			name := x.name
			if name == "" {
				name = x.t.ID
			}
			h := healthOutcome{}
			if tg.tg.HealthCheck.Enabled {
				h = t.checkHealth(node, lb, tg, x)
			}
			if h.reason == "" {
				if !t.geneveReaches(node, lb, tg, x) {
					if blocked == "" {
						blocked = name
						geneve = t.geneveBlock(node, lb, tg, x)
					}
					continue
				}
				if !tg.tg.HealthCheck.Enabled {
					return name, "", "", nil
				}
				return name + " (healthy on " + tg.tg.HealthCheck.Protocol + " " + strconv.Itoa(int(x.hcPort)) + ")", "", "", nil
			}
			if unhealthy == "" {
				unhealthy = name + " (" + h.reason + " on " + tg.tg.HealthCheck.Protocol + " port " + strconv.Itoa(int(x.hcPort)) + ")"
			}
		}
	}
	switch {
	case blocked != "":
		return "", CodeGWLBGeneveBlocked, "sends GENEVE (UDP 6081) to its healthy appliance " + blocked + ", but a security group or network ACL on the way drops it (the appliance's group must admit UDP 6081 from the load balancer's subnet)", geneve
	case !anyRegistered:
		return "", CodeGWLBNoHealthyTargets, "has no appliance registered in target group " + tg.comp.Label(), nil
	case unhealthy == "":
		return "", CodeGWLBNoHealthyTargets, "has no appliance in target group " + tg.comp.Label() + " that its node in " + zone + " sends to (enable cross-zone load balancing, or register an appliance in " + zone + ")", nil
	}
	return "", CodeGWLBNoHealthyTargets, "has no healthy appliance in target group " + tg.comp.Label() + ": " + unhealthy +
		" fails its health check. AWS then sends to the unhealthy appliances (fail-open); ecsnet assumes an appliance that fails its health check does not return the packet", nil
}
