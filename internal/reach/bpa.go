package reach

import (
	"github.com/ecsnet/ecsnet/internal/model"
)

// bpaWay is how a connection crosses an internet gateway, as VPC Block
// Public Access tells them apart (security-vpc-bpa.html).
type bpaWay uint8

const (
	bpaOutIGW  bpaWay = iota // started inside, out through the internet gateway on the ENI's own public address
	bpaOutEIGW               // started inside, out through an egress-only internet gateway
	bpaOutNAT                // started inside, out through a NAT gateway and its internet gateway
	bpaIn                    // started from the internet (or from another VPC's public address), in through the internet gateway
)

// bpaDrop reports whether the account's VPC Block Public Access mode
// drops a connection crossing gateway gw for subnet sn (the subnet of the
// ENI the gateway sees: the source's, the NAT gateway's, or the
// destination's), recording the drop. The subnet's exclusion, else its
// VPC's, may allow it: allow-bidirectional always, allow-egress only
// connections started inside and only in block-bidirectional mode.
// block-ingress lets out what leaves through a NAT gateway or an
// egress-only internet gateway.
func (t *tracer) bpaDrop(fs *flowState, path *[]Hop, gw *Component, sn *subnetNode, way bpaWay, p Packet) bool {
	mode := t.n.bpaMode
	if mode == model.BPAOff || mode == "" || sn == nil {
		return false
	}
	x, excl := t.n.bpaExclusion(sn)
	if !model.BPABlocks(mode, excl, way != bpaIn, way == bpaOutEIGW || way == bpaOutNAT) {
		return false
	}
	seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: gw, Subnet: sn.comp, Packet: p})
	t.block(fs, Timeout, func() Explanation {
		m := bpaMessage(t.n.st.Region, mode, gw, sn, x, excl, way)
		return Explanation{Code: CodeVPCBlockPublicAccess, Path: "forward", Hop: seq, Component: sn.comp, Address: p.Destination, Message: m, clause: m}
	})
	return true
}

// bpaMessage says which mode dropped the packet where, and which
// exclusion is missing.
func bpaMessage(region, mode string, gw *Component, sn *subnetNode, x *model.VpcBlockPublicAccessExclusion, excl string, way bpaWay) string {
	sub := "subnet " + sn.comp.Label() + " (" + string(sn.subnet.VpcID) + ")"
	what := "the connection the internet starts to " + sub
	switch way {
	case bpaOutIGW:
		what = "the connection that " + sub + " starts to the internet from a public address"
	case bpaOutEIGW:
		what = "the IPv6 connection that " + sub + " starts to the internet"
	case bpaOutNAT:
		what = "the connection the NAT gateway in " + sub + " forwards to the internet"
	}
	gwName := "the internet gateway"
	if gw != nil && gw.Type == "egress-only-internet-gateway" {
		gwName = "the egress-only internet gateway"
	}
	if l := gw.Label(); l != "" {
		gwName += " " + l
	}
	m := "VPC Block Public Access is " + mode + " in " + region + ", so " + gwName + " drops " + what
	var need string
	switch {
	case way == bpaIn:
		need = "an exclusion allow-bidirectional"
	case mode == model.BPABidirectional:
		need = "an exclusion allow-egress or allow-bidirectional"
	default:
		need = "an exclusion allow-bidirectional"
	}
	switch {
	case x == nil:
		m += ": neither the subnet nor its VPC has an exclusion; it needs " + need
	case excl == model.BPAAllowEgress && mode == model.BPAIngress:
		m += ": its exclusion " + string(x.ID) + " is allow-egress, which applies only in block-bidirectional mode; it needs " + need
	default:
		m += ": its exclusion " + string(x.ID) + " is " + excl + ", which lets no connection in from the internet; it needs " + need
	}
	if way == bpaOutIGW && mode == model.BPAIngress {
		m += " (block-ingress lets out only what leaves through a NAT gateway or an egress-only internet gateway)"
	}
	return m
}

// bpaBlocksInbound reports whether VPC Block Public Access drops the
// connections the internet starts to subnet sn.
func (n *Network) bpaBlocksInbound(sn *subnetNode) bool {
	if n.bpaMode == model.BPAOff || sn == nil {
		return false
	}
	_, excl := n.bpaExclusion(sn)
	return model.BPABlocks(n.bpaMode, excl, false, false)
}

// bpaExclusion returns the exclusion in force for subnet sn and its mode
// (model.State.BPAExclusionFor, from the network's index).
func (n *Network) bpaExclusion(sn *subnetNode) (*model.VpcBlockPublicAccessExclusion, string) {
	x := n.bpaSubnets[sn.subnet.ID]
	if x == nil {
		x = n.bpaVPCs[sn.subnet.VpcID]
	}
	if x == nil {
		return nil, ""
	}
	return x, x.InForce()
}

// ownSubnet is the subnet of S's network interface: VPC Block Public
// Access judges the traffic of a resource by its own subnet's exclusion
// ("Allow all internet traffic to and from the excluded VPCs and
// subnets", API CreateVpcBlockPublicAccessExclusion), also when a Gateway
// Load Balancer or Network Firewall endpoint handed its packet back in
// another subnet on the way [probable]. S.subnet when the state lacks it.
func (t *tracer) ownSubnet(S *eniNode) *subnetNode {
	if S.eni != nil {
		if sn := t.n.subnet(S.eni.SubnetID); sn != nil {
			return sn
		}
	}
	return S.subnet
}
