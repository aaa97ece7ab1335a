package reach

import (
	"github.com/ecsnet/ecsnet/internal/model"
)

// natInstanceENI returns the ENI a route to an instance or a network
// interface sends packets to, when an instance holds it: the instance's
// primary ENI for an instance target. Nil for anything else (an ENI of a
// load balancer or endpoint, a detached one).
func (t *tracer) natInstanceENI(rr *rtRoute) *eniNode {
	n := t.n
	id := model.NetworkInterfaceID(rr.route.TargetID)
	if rr.route.Target == model.TargetInstance {
		inst := n.st.Instances[model.InstanceID(rr.route.TargetID)]
		if inst == nil || inst.State != model.InstanceRunning {
			return nil
		}
		id = inst.PrimaryENI
	}
	X := n.eni(id)
	if X == nil || X.eni.Attachment == nil || X.eni.OwnerKind != model.OwnedByInstance && X.eni.OwnerKind != model.OwnedByUser {
		return nil
	}
	if _, ok := n.st.Instances[X.eni.Attachment.InstanceID]; !ok {
		return nil
	}
	return X
}

// throughNATInstance carries a packet from source S to the internet
// through a NAT instance X: an EC2 instance a route table sends
// 0.0.0.0/0 to, which forwards and translates what it receives (the
// Amazon VPC User Guide's "NAT instances": source/destination checking
// off, IP forwarding and masquerading on in the instance, a public
// address, a route to an internet gateway, and a security group that
// admits the private subnets' traffic). ecsnet assumes the instance's
// software forwards and masquerades ([choice]: it cannot see inside the
// instance); everything AWS itself decides is checked here: the network
// ACLs both ways, the ENI's source/destination check, its security groups
// (inbound from the source, outbound to the destination), its subnet's
// route and its public address.
func (t *tracer) throughNATInstance(fs *flowState, f *flow, path *[]Hop, S, X *eniNode, p Packet) arrival {
	if !sameSubnet(X.subnet, S.subnet) {
		t.aclCheck(fs, path, false, S.subnet, true, p)
		t.aclCheck(fs, path, false, X.subnet, false, p)
	}
	if X.eni.SourceDestCheck {
		seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: X.comp, AttachedTo: X.attached, Subnet: X.subnet.comp, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			m := "the route sends the packet to " + X.owned() + " as a NAT instance, but source/destination checking is on for " + string(X.eni.ID) +
				", so it drops every packet whose destination (" + f.dst.String() + ") is not its own address; turn the check off on the NAT instance"
			return Explanation{Code: CodeENISourceDestCheck, Path: "forward", Hop: seq, Component: X.comp, NetworkInterface: X.comp, Message: m, clause: m}
		})
		return arrival{}
	}
	if !t.sgCheck(fs, path, false, X, false, p, f.src, S, nil) {
		return arrival{}
	}
	p.Source = X.primary
	seq := t.add(path, false, Hop{Action: ActionTranslated, Component: X.comp, AttachedTo: X.attached, Subnet: X.subnet.comp, Packet: p,
		Note: "a NAT instance (source/destination check off): ecsnet assumes its software forwards and masquerades"})
	t.info(func() Explanation {
		m := "the NAT instance " + X.owned() + " rewrites the source to its address " + X.primary.String()
		return Explanation{Code: CodeRemapEphemeralPort, Path: "forward", Hop: seq, Component: X.comp, Message: m}
	})
	if !t.sgCheck(fs, path, false, X, true, p, f.dst, nil, nil) {
		return arrival{}
	}
	rr2, ok := t.route(fs, path, false, X.subnet, p, f.dst)
	if !ok {
		return arrival{}
	}
	v := X.subnet.vpc
	if rr2.route.Target != model.TargetInternetGateway || v == nil || v.igwC == nil {
		t.block(fs, NoRoute, func() Explanation {
			m := "the route table of the NAT instance's subnet " + X.subnet.comp.Label() + " sends " + f.dst.String() + " to " + rr2.route.TargetID + ", not to an internet gateway"
			return Explanation{Code: CodeCannotRoute, Path: "forward", Component: X.subnet.rt.comp, Route: rr2.view, Message: m, clause: m}
		})
		return arrival{}
	}
	if !X.public.IsValid() {
		seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: v.igwC, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			m := "the NAT instance " + X.owned() + " has no public IP, so the internet gateway " + v.igwC.Label() + " cannot give its packets a public source and drops them"
			return Explanation{Code: CodeIGWPublicIPEgress, Path: "forward", Hop: seq, Component: v.igwC, NetworkInterface: X.comp, Message: m, clause: m}
		})
		return arrival{}
	}
	t.aclCheck(fs, path, false, X.subnet, true, p)
	if t.bpaDrop(fs, path, v.igwC, X.subnet, bpaOutIGW, p) || t.port25Drop(fs, path, v.igwC, f, p) {
		return arrival{}
	}
	p.Source = X.public
	t.add(path, false, Hop{Action: ActionTranslated, Component: v.igwC, Packet: p})
	a := t.fromInternet(fs, f, path, X.public)
	a.kind, a.natENI = viaNATInstance, X
	return a
}
