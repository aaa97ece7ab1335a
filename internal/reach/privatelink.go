package reach

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// privateLinkService returns the endpoint service of an interface
// endpoint to an endpoint service of Network Load Balancers (AWS PrivateLink,
// com.amazonaws.vpce.<region>.vpce-svc-…) that the state holds.
func (n *Network) privateLinkService(ep *endpointNode) *model.EndpointServiceConfig {
	if ep == nil || ep.gwlb() {
		return nil
	}
	id, ok := model.VpceServiceID(n.st.Region, ep.ep.ServiceName)
	if !ok {
		return nil
	}
	svc := n.st.EndpointServices[id]
	if svc == nil || len(svc.NetworkLBs) == 0 {
		return nil
	}
	return svc
}

// privateLinkEndpoint returns the endpoint of an interface endpoint ENI
// whose service is an endpoint service of an account
// (com.amazonaws.vpce.<region>.vpce-svc-…), not an AWS service's, or nil.
// The state may not hold the service (a snapshot of the consumer's
// account): privateLinkConnection then says so.
func (n *Network) privateLinkEndpoint(e *eniNode) *endpointNode {
	if e == nil || e.kind != eniEndpoint {
		return nil
	}
	ep := e.endpoint
	if ep == nil {
		ep = n.endpoint(model.VpcEndpointID(e.eni.ManagedBy))
	}
	if ep == nil || ep.gwlb() {
		return nil
	}
	if _, ok := model.VpceServiceID(n.st.Region, ep.ep.ServiceName); !ok {
		return nil
	}
	return ep
}

// privateLinkConnection carries a connection that reached an interface
// endpoint of an endpoint service of Network Load Balancers (AWS
// PrivateLink) to the service's targets, as AWS does:
//   - the endpoint ENI's security groups admit (or not) the client;
//   - the endpoint must be available: one in pendingAcceptance (or
//     rejected) carries nothing until the service's owner accepts it;
//   - the endpoint hands the connection to the service's Network Load
//     Balancer node in the endpoint's zone (the endpoint exists only in
//     zones the load balancer serves);
//   - an NLB with security groups evaluates their inbound rules on the
//     client's private address unless
//     EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is off (NLB
//     guide, load-balancer-security-groups: "the source of the traffic is
//     the private IP address of the client, not the endpoint interface");
//   - the listener forwards to a target, which sees the NLB node's
//     private address: client IP preservation has no effect on PrivateLink
//     traffic (NLB guide, edit-target-group-attributes).
func (t *tracer) privateLinkConnection(fs *flowState, f *flow, a *arrival, ep *endpointNode, fwd, ret *[]Hop) lbOutcome {
	D := a.eni
	p := t.pkt(a.srcSeen, f.sport, a.dstAddr, f.dport)
	out := lbOutcome{backend: newFlowState(), verdict: Timeout}
	if !a.self {
		t.sgCheck(fs, fwd, false, D, false, p, a.srcSeen, a.srcRef, f.via)
	}
	fail := func(code string, v Verdict, c *Component, m string) lbOutcome {
		seq := t.add(fwd, false, Hop{Action: ActionDropped, Blocked: true, Component: c, Packet: p})
		t.block(fs, v, func() Explanation {
			return Explanation{Code: code, Path: "forward", Hop: seq, Component: c, Message: m, clause: m}
		})
		t.reply(fs, f, a, ret)
		out.verdict = fs.verdict
		return out
	}
	if st := ep.ep.State; !strings.EqualFold(st, "available") && st != "" {
		return fail(CodeBadState, Timeout, ep.comp, "interface endpoint "+ep.comp.Label()+" to the endpoint service "+ep.ep.ServiceName+" is "+st+
			", not available, so it carries no connection"+acceptHint(st))
	}
	zone := D.eni.AvailabilityZone
	svc := t.n.privateLinkService(ep)
	if svc == nil {
		return fail(CodeUnsupportedComponent, Unknown, ep.comp, "the state does not hold the endpoint service "+ep.ep.ServiceName+
			" of interface endpoint "+ep.comp.Label()+" (its configuration and load balancers are the service owner's), so ecsnet cannot tell where the connection goes")
	}
	lb, node := t.n.endpointServiceNode(svc, zone)
	if lb == nil {
		return fail(CodeCannotRoute, Timeout, ep.comp, "the endpoint service "+ep.ep.ServiceName+" of interface endpoint "+ep.comp.Label()+
			" has no Network Load Balancer with a node in "+zone+", the zone of "+D.comp.Label())
	}
	t.add(fwd, false, Hop{Action: ActionForwarded, Component: ep.comp, AttachedTo: lb.comp, Packet: p,
		Note: "AWS PrivateLink: the endpoint hands the connection to Network Load Balancer " + lb.comp.Label() + "'s node in " + zone + " (" + node.primary.String() + ")"})
	if lb.lb.State != "active" {
		return fail(CodeBadState, Timeout, lb.comp, "the load balancer "+lb.lb.Name+" behind the endpoint service "+ep.ep.ServiceName+" is "+lb.lb.State+", not active")
	}
	if len(lb.lb.SecurityGroups) > 0 && !lb.lb.PrivateLinkInboundOff {
		// The NLB evaluates its inbound rules on the client's own private
		// address, which no reference to the client's security group
		// matches (the groups are in another VPC).
		t.sgCheck(fs, fwd, false, node, false, p, a.srcSeen, nil, nil)
	}
	l := lb.listener(t.proto, f.dport)
	if l == nil {
		return fail(CodeListenerPortRestriction, Timeout, lb.comp, "the load balancer "+lb.lb.Name+" behind the endpoint service has no listener on "+
			t.protoName()+"/"+strconv.Itoa(int(f.dport))+" (its listeners: "+lb.listenerList()+"); a load balancer drops traffic that matches no listener")
	}
	out.listener = l
	out.what = "forward"
	t.add(fwd, false, Hop{Action: ActionAccepted, Component: l.comp, AttachedTo: lb.comp, Packet: p})
	var tg *tgNode
	if act, ok := terminalAction(l.l.DefaultActions); ok {
		tg = t.forwardTarget(act)
	}
	var backRet []Hop
	if tg == nil {
		t.block(&out.backend, Timeout, func() Explanation {
			m := "the listener " + l.comp.Name + " forwards to no existing target group"
			return Explanation{Code: CodeListenerHasNoTG, Path: "forward", Component: l.comp, Message: m, clause: m}
		})
	} else {
		out.tg = tg
		// No client flow: the target sees the node's private address,
		// whatever the target group's client IP preservation says.
		out.verdict = t.toTargets(nil, node, l, tg, fwd, &backRet, &out)
		if out.verdict == Unknown && tg.tg.TargetType != "alb" {
			out.verdict = Timeout
		}
	}
	*ret = append(*ret, backRet...)
	t.reply(fs, f, a, ret)
	if fs.blocked {
		out.verdict = fs.verdict
	}
	return out
}

// endpointServiceNode is the first Network Load Balancer of an endpoint
// service with a node in zone, and that node, which an endpoint ENI of
// the zone hands its connections to (nil, nil when none has one).
func (n *Network) endpointServiceNode(svc *model.EndpointServiceConfig, zone string) (*lbNode, *eniNode) {
	for _, arn := range svc.NetworkLBs {
		if lb := n.lbs[arn]; lb != nil {
			for _, e := range lb.nodes {
				if e.eni.AvailabilityZone == zone {
					return lb, e
				}
			}
		}
	}
	return nil, nil
}

// servesEndpointService reports whether a Network Load Balancer is one of
// an endpoint service's (AWS PrivateLink).
func (n *Network) servesEndpointService(lb *lbNode) bool {
	if lb == nil || lb.isALB() {
		return false
	}
	for _, svc := range n.st.EndpointServices {
		if slices.Contains(svc.NetworkLBs, lb.lb.ARN) {
			return true
		}
	}
	return false
}
