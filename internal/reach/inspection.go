package reach

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Inspection: routes that send a flow through a middlebox before it goes
// on: a Gateway Load Balancer endpoint (gwlb.go; AWS Network Firewall's
// firewall endpoints are GWLB endpoints too) or an appliance instance's
// network interface. The packet comes back from the middlebox unchanged
// and is routed on by the route table of the subnet it comes back in:
// the endpoint's subnet, or the appliance's ("Gateway Load Balancer
// endpoints", PrivateLink guide; "Example: Appliance in a shared services
// VPC", Transit Gateway guide). An appliance instance must have its
// source/destination check off ("Source/destination checking ... must be
// disabled if the instance runs services such as network address
// translation, routing, or firewalls", EC2 user guide); ecsnet assumes
// its software forwards what it gets ([choice]: it cannot see inside).
//
// An inspection VPC behind a transit gateway: the gateway hands the packet
// to the inspection VPC's attachment in the sender's zone (it keeps a
// flow in the zone it entered), whose subnet's route table sends it to
// the inspection point, whose subnet's route table sends it back to the
// gateway; the gateway routes it by the route table associated with the
// inspection VPC's attachment. The reply comes back the same way, but
// from the replying side's zone: when the two ends are in different
// zones, the reply reaches another zone's endpoint or appliance, which
// never saw the request, and a stateful appliance drops it. Appliance
// mode on the inspection VPC's attachment makes the gateway choose one
// zone for both directions of a flow ("Appliance mode", Transit Gateway
// guide: "the transit gateway selects a single network interface in the
// appliance VPC ... for the life of the flow"; Network Firewall
// developer guide, "Avoiding asymmetric routing": the request and its
// response must be routed to the same firewall endpoint). ecsnet takes
// the zone the request entered in as that zone [choice: AWS picks one by
// a flow hash].

// maxInspectionPasses bounds how many inspection points one packet goes
// through (a route table that sends it back to one it just left loops).
const maxInspectionPasses = 4

// inspectionPass is one pass of a request through an inspection point:
// by is the endpoint or the appliance's interface; att the transit
// gateway attachment of the inspection VPC it entered by, and zone that
// attachment subnet's zone (att nil: a route of the flow's own VPC).
type inspectionPass struct {
	att  *model.TransitGatewayAttachment
	zone string
	by   *Component
	// inbound: the request passed it after it entered a VPC by the
	// internet gateway (the gateway route table's edge route), not on
	// its way out.
	inbound bool
}

// inspectionTarget returns the inspection point a route sends to: a
// Gateway Load Balancer endpoint, or the interface of an instance (an
// appliance); both nil for anything else.
func (t *tracer) inspectionTarget(rr *rtRoute) (*endpointNode, *eniNode) {
	if rr == nil || !rr.active {
		return nil, nil
	}
	switch rr.route.Target {
	case model.TargetVpcEndpoint:
		if ep := t.n.endpoint(model.VpcEndpointID(rr.route.TargetID)); ep != nil && ep.gwlb() {
			return ep, nil
		}
	case model.TargetInstance, model.TargetNetworkInterface:
		if X := t.natInstanceENI(rr); X != nil {
			return nil, X
		}
	}
	return nil, nil
}

// inspectionPoint is the component a route's inspection target is
// known by, or nil.
func (t *tracer) inspectionPoint(rr *rtRoute) *Component {
	switch ep, X := t.inspectionTarget(rr); {
	case ep != nil:
		return ep.comp
	case X != nil:
		return X.comp
	}
	return nil
}

// inspect takes packet p, that route rr of subnet cur sends to an
// inspection point, through it, and returns the subnet it comes back in
// (whose route table routes it on). srcENI is the sender's interface
// when the appliance's security groups may refer to its groups.
func (t *tracer) inspect(fs *flowState, path *[]Hop, ret bool, cur *subnetNode, rr *rtRoute, p Packet, srcENI *eniNode) (*subnetNode, bool) {
	switch ep, X := t.inspectionTarget(rr); {
	case ep != nil:
		return t.gwlbPass(fs, path, ret, cur, ep, p)
	case X != nil:
		return X.subnet, t.throughAppliance(fs, path, ret, cur, X, p, srcENI)
	}
	return nil, false
}

// throughAppliance carries packet p from subnet cur through the appliance
// instance whose interface is X: the network ACLs between the subnets,
// X's source/destination check, and (on the request's way) X's security
// groups in and out. It reports whether the appliance forwards it.
func (t *tracer) throughAppliance(fs *flowState, path *[]Hop, ret bool, cur *subnetNode, X *eniNode, p Packet, srcENI *eniNode) bool {
	if X.subnet == nil || X.subnet.rt == nil {
		return false
	}
	if cur != nil && !sameSubnet(X.subnet, cur) {
		if !t.aclCheck(fs, path, ret, cur, true, p) || !t.aclCheck(fs, path, ret, X.subnet, false, p) {
			return false
		}
	}
	if X.eni.SourceDestCheck {
		seq := t.add(path, ret, Hop{Action: ActionDropped, Blocked: true, Component: X.comp, AttachedTo: X.attached, Subnet: X.subnet.comp, Packet: p})
		t.blockOn(fs, ret, Timeout, func() Explanation {
			m := "the route sends the packet to " + X.owned() + " as an appliance (it forwards packets addressed to others: " + p.Destination.String() +
				"), but source/destination checking is on for " + string(X.eni.ID) + ", so EC2 drops every packet whose source or destination is not the instance's own address; turn the check off on the appliance"
			return Explanation{Code: CodeENISourceDestCheck, Path: pathName(ret), Hop: seq, Component: X.comp, NetworkInterface: X.comp, Message: m, clause: m}
		})
		return false
	}
	// A security group tracks the request's connection: its reply, back
	// through the same appliance, is allowed (a reply through another one
	// is dropped as asymmetric before it gets here).
	if !ret && !t.sgCheck(fs, path, false, X, false, p, p.Source, srcENI, nil) {
		return false
	}
	t.add(path, ret, Hop{Action: ActionForwarded, Component: X.comp, AttachedTo: X.attached, Subnet: X.subnet.comp, Packet: p,
		Note: "an appliance instance (source/destination check off): ecsnet assumes its software forwards the packet unchanged"})
	if !ret && !t.sgCheck(fs, path, false, X, true, p, p.Destination, nil, nil) {
		return false
	}
	if ret {
		fs.replyMet = append(fs.replyMet, X.comp.ID)
	}
	return true
}

// forwardThroughAppliance carries a request that a route of its own VPC
// sends to an appliance instance (not to the internet: that is a NAT
// instance, natinstance.go) through it and on by the appliance subnet's
// route table. ok is false when rr names no appliance.
func (t *tracer) forwardThroughAppliance(fs *flowState, f *flow, path *[]Hop, S *eniNode, rr *rtRoute, p Packet) (arrival, bool) {
	_, X := t.inspectionTarget(rr)
	if X == nil {
		return arrival{}, false
	}
	if t.inspectDepth >= maxInspectionPasses {
		t.inspectionLoop(fs, false, X.comp)
		return arrival{}, true
	}
	sub, ok := t.inspect(fs, path, false, S.subnet, rr, p, f.srcRef)
	if !ok {
		return arrival{}, true
	}
	rr2, ok := t.route(fs, path, false, sub, p, f.dst)
	if !ok {
		return arrival{}, true
	}
	// From here the packet leaves the appliance's subnet: the rest of
	// the path sees that subnet (its network ACL, its route table).
	moved := *S
	moved.subnet = sub
	t.inspectDepth++
	a := t.onRoute(fs, f, path, &moved, rr2, p)
	t.inspectDepth--
	a.inspected = append([]inspectionPass{{zone: sub.subnet.AvailabilityZone, by: X.comp}}, a.inspected...)
	return a, true
}

// inspectAcrossTGW follows a request the transit gateway hands to a VPC
// that does not hold its destination and whose attachment subnet (in
// the sender's zone) routes it to an inspection point: through it, then
// by the route table of the subnet it comes back in (back to the transit
// gateway, or on to a NAT gateway). ok is false when the attachment
// subnet's route names no inspection point.
func (t *tracer) inspectAcrossTGW(fs *flowState, f *flow, path *[]Hop, S *eniNode, leg tgwLeg, p Packet) (arrival, bool) {
	n := t.n
	sub := n.attachmentSubnet(leg.to, S.subnet.subnet.AvailabilityZone)
	if sub == nil && len(leg.to.SubnetIDs) > 0 {
		sub = n.subnet(leg.to.SubnetIDs[0])
	}
	if sub == nil || sub.rt == nil {
		return arrival{}, false
	}
	by := t.inspectionPoint(sub.rt.lookup(f.dst))
	if by == nil {
		return arrival{}, false
	}
	if t.inspectDepth >= maxInspectionPasses {
		t.inspectionLoop(fs, false, by)
		return arrival{}, true
	}
	t.add(path, false, Hop{Action: ActionRouted, Component: n.tgwAttachComp(leg.to), Subnet: sub.comp, Packet: p})
	rr, ok := t.route(fs, path, false, sub, p, f.dst)
	if !ok {
		return arrival{}, true
	}
	// Security group references do not cross a transit gateway: the
	// appliance sees a plain address.
	next, ok := t.inspect(fs, path, false, sub, rr, p, nil)
	if !ok {
		return arrival{}, true
	}
	rr2, ok := t.route(fs, path, false, next, p, f.dst)
	if !ok {
		return arrival{}, true
	}
	moved := *S
	moved.subnet = next
	t.inspectDepth++
	var a arrival
	if rr2.route.Target == model.TargetTransitGateway {
		a = t.throughTGW(fs, f, path, &moved, rr2, p)
	} else {
		a = t.onRoute(fs, f, path, &moved, rr2, p)
	}
	t.inspectDepth--
	a.inspected = append([]inspectionPass{{att: leg.to, zone: sub.subnet.AvailabilityZone, by: by}}, a.inspected...)
	return a, true
}

// replyThroughInspection follows a reply the transit gateway hands to an
// inspection VPC (leg.to, not the client's) whose attachment subnet
// routes the client's address src to an inspection point. The subnet is
// the one in the replying side's zone, or, with appliance mode on the
// attachment, in the zone the request entered it by. The point must be
// the one the request went through (fwd): a stateful appliance or
// firewall endpoint drops a reply of a flow it did not see. Then the
// reply goes back to the transit gateway and on to the client. It
// reports false when the attachment subnet's route names no inspection
// point (the caller explains the mismatch).
func (t *tracer) replyThroughInspection(fs *flowState, f *flow, path *[]Hop, D *eniNode, leg tgwLeg, p Packet, src netip.Addr, back string, fwd []inspectionPass) bool {
	n := t.n
	zone := D.subnet.subnet.AvailabilityZone
	var prior *inspectionPass
	for i := range fwd {
		if fwd[i].att != nil && fwd[i].att.ID == leg.to.ID {
			prior = &fwd[i]
			break
		}
	}
	modeOn := leg.to.ApplianceModeSupport == "enable"
	if modeOn && prior != nil {
		zone = prior.zone
	}
	sub := n.attachmentSubnet(leg.to, zone)
	if sub == nil && len(leg.to.SubnetIDs) > 0 {
		sub = n.subnet(leg.to.SubnetIDs[0])
	}
	if sub == nil || sub.rt == nil {
		return false
	}
	by := t.inspectionPoint(sub.rt.lookup(src))
	if by == nil {
		return false
	}
	if t.inspectDepth >= maxInspectionPasses {
		t.inspectionLoop(fs, true, by)
		return true
	}
	ac := n.tgwAttachComp(leg.to)
	t.add(path, true, Hop{Action: ActionRouted, Component: ac, Subnet: sub.comp, Packet: p})
	rr, ok := t.route(fs, path, true, sub, p, src)
	if !ok {
		return true
	}
	if (prior == nil || prior.by.ID != by.ID) && !t.unseenPointPasses(fs, rr, p) {
		seq := t.add(path, true, Hop{Action: ActionDropped, Blocked: true, Component: by, Subnet: sub.comp, Packet: p})
		t.blockOn(fs, true, Timeout, func() Explanation {
			m := "the transit gateway hands the reply to " + ac.Label() + " in " + sub.subnet.AvailabilityZone
			switch {
			case prior == nil:
				m += ", whose subnet " + sub.comp.Label() + " sends it to " + pointLabel(by) + ", but the request did not go through it: a stateful appliance drops a reply of a flow it never saw (asymmetric routing); route the request through the inspection VPC too"
			case modeOn:
				m += ", whose subnet " + sub.comp.Label() + " sends it to " + pointLabel(by) + ", but the request went through " + pointLabel(prior.by) +
					": a stateful appliance drops a reply of a flow it never saw (asymmetric routing)"
			default:
				m += " (the zone of " + D.owned() + ": without appliance mode the transit gateway keeps each packet in the zone it entered by), whose subnet " + sub.comp.Label() +
					" sends it to " + pointLabel(by) + "; the request went through " + pointLabel(prior.by) + " in " + prior.zone +
					", so the reply meets an appliance that never saw the flow and is dropped (asymmetric routing). Turn appliance mode on for " + ac.Label() +
					", so the transit gateway keeps both directions of a flow in one zone"
			}
			return Explanation{Code: CodeApplianceAsymmetric, Path: "return", Hop: seq, Component: ac, Address: src, Message: m, clause: m}
		})
		return true
	}
	next, ok := t.inspect(fs, path, true, sub, rr, p, nil)
	if !ok {
		return true
	}
	rr2, ok := t.route(fs, path, true, next, p, src)
	if !ok {
		return true
	}
	moved := *D
	moved.subnet = next
	if rr2.route.Target != model.TargetTransitGateway {
		t.returnMismatch(fs, path, &moved, rr2, p, "the transit gateway")
		return true
	}
	t.inspectDepth++
	t.replyThroughTGW(fs, f, path, &moved, rr2, p, src, back, fwd)
	t.inspectDepth--
	return true
}

// unseenPointPasses reports whether the inspection point route rr names,
// which did not see the request, takes reply p as a flow of its own
// (ingressasym.go's unseenReplyPasses: a UDP datagram is a new flow to a
// GWLB appliance or a Network Firewall's stateful engine, judged as one):
// the reply goes through it (gwlbPass) rather than being dropped as
// asymmetric. A transit gateway without appliance mode between zones
// sends a UDP answer through the answering side's zone's appliance,
// which never saw the request; to it the answer is a new flow. An
// appliance instance is held to the request's [choice]. An endpoint of
// a Gateway Load Balancer with cross-zone load balancing may send the
// reply to the very appliance that took the request (the appliance the
// load balancer picks is the first healthy one, gwlbAppliance [choice],
// as the data plane's): that appliance holds the flow, and the reply goes
// through it (gwlbPass checks it).
func (t *tracer) unseenPointPasses(fs *flowState, rr *rtRoute, p Packet) bool {
	ep, _ := t.inspectionTarget(rr)
	if ep == nil {
		return false
	}
	if t.unseenReplyPasses(ep, p) {
		return true
	}
	if len(fs.appliances) == 0 || firewallEndpoint(ep) {
		return false
	}
	a := t.applianceOf(ep) // gwlb.go
	return a != "" && fs.appliances[a+" "+p.Destination.String()+" "+p.Source.String()]
}

// inspectionLoop explains a packet sent to inspection points more than
// maxInspectionPasses times: a routing loop.
func (t *tracer) inspectionLoop(fs *flowState, ret bool, by *Component) {
	t.blockOn(fs, ret, Timeout, func() Explanation {
		m := "the packet went through " + strconv.Itoa(maxInspectionPasses) + " inspection points and a route sends it to " + pointLabel(by) + " again: a routing loop"
		return Explanation{Code: CodeCannotRoute, Path: pathName(ret), Component: by, Message: m, clause: m}
	})
}

// pointLabel names an inspection point with its id (two endpoints of one
// service, or two appliances' interfaces, may share a label).
func pointLabel(c *Component) string {
	l := c.Label()
	if c.ID != "" && !strings.Contains(l, c.ID) {
		l += " (" + c.ID + ")"
	}
	return l
}

// firewallEndpoint reports whether a Gateway Load Balancer endpoint is
// one of AWS Network Firewall's: the firewall creates one in each of its
// subnets, of an endpoint service AWS owns, and tags it
// AWSNetworkFirewallManaged=true (DescribeVpcEndpoints lists them so:
// hashicorp/terraform-provider-aws#43472).
func firewallEndpoint(ep *endpointNode) bool {
	return ep.gwlb() && strings.EqualFold(ep.ep.Tags["AWSNetworkFirewallManaged"], "true")
}

// firewallPass takes a packet through an AWS Network Firewall endpoint.
// The firewall's policy and rule groups are not in the state (they are
// Network Firewall's, not EC2's): ecsnet assumes its rules pass the flow
// [choice], and checks what EC2 decides, the routes around it and, for a
// reply, that it is the endpoint the request went through (the firewall's
// stateful engine drops the rest, inspection.go).
func (t *tracer) firewallPass(fs *flowState, path *[]Hop, ret bool, cur *subnetNode, ep *endpointNode, sub *subnetNode, p Packet) (*subnetNode, bool) {
	if fw := t.n.st.FirewallOfEndpoint(ep.ep.ID); fw != nil {
		// A firewall the state holds: its policy decides (networkfirewall.go).
		if !t.firewallPolicyPasses(fs, path, ret, ep, p) {
			t.firewallResetBack(fs, path, ret, cur, sub, p)
			return nil, false
		}
		t.add(path, ret, Hop{Action: ActionForwarded, Component: ep.comp, Subnet: sub.comp, Packet: p,
			Note: "an AWS Network Firewall endpoint of " + fw.Name + ": its policy passes the packet"})
		return sub, true
	}
	name := ep.ep.Tags["Firewall"]
	if name == "" {
		name = "its firewall"
	}
	seq := t.add(path, ret, Hop{Action: ActionForwarded, Component: ep.comp, Subnet: sub.comp, Packet: p,
		Note: "an AWS Network Firewall endpoint (" + name + "): its rules are not in the state; ecsnet assumes they pass the flow"})
	t.info(func() Explanation {
		by := "a gateway route table"
		if cur != nil && cur.rt != nil {
			by = "route table " + cur.rt.comp.Label()
		}
		return Explanation{Code: CodeGWLBInspected, Path: pathName(ret), Hop: seq, Component: ep.comp,
			Message: by + " sends the packet to AWS Network Firewall endpoint " + pointLabel(ep.comp) + " (" + name +
				"), which hands it back to the VPC router after inspection (its rules are not in the state: ecsnet assumes they pass it); the route table of " + sub.comp.Label() + " routes it on"}
	})
	return sub, true
}
