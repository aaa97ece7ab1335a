package reach

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// peeringRouteHint explains a private address of a VPC that the source's
// VPC is already peered with (an active connection in the Region), sent
// to the internet because the source subnet's route table has no route to
// the peer's block through the connection: a peering connection carries
// only what each subnet's own route table sends to it (VPC Peering Guide,
// "Update your route tables for a VPC peering connection"), so a route
// added to one zone's private route table leaves the other zones' tasks
// on their default route. It reports whether it explained.
func (t *tracer) peeringRouteHint(fs *flowState, f *flow, seq int) bool {
	e := f.srcENI
	if e == nil || e.subnet == nil || e.subnet.rt == nil || !f.dst.Is4() {
		return false
	}
	srcVPC := e.subnet.subnet.VpcID
	var dstVPC model.VpcID
	for _, s := range t.n.st.Subnets {
		if s.CIDR.Contains(f.dst) {
			dstVPC = s.VpcID
		}
	}
	if dstVPC == "" || dstVPC == srcVPC {
		return false
	}
	var pcx *model.VpcPeeringConnection
	for _, c := range t.n.st.VpcPeerings {
		if p, ok := c.Peer(srcVPC); ok && p == dstVPC && c.Status == "active" && !c.InterRegion() {
			pcx = c
		}
	}
	if pcx == nil {
		return false
	}
	block, ok := peerBlock(t.n.st.VPCs[dstVPC], f.dst)
	if !ok {
		return false
	}
	var others []string
	for _, rt := range t.n.st.RouteTables {
		if rt.VpcID == srcVPC && rt.ID != e.subnet.rt.rt.ID && slices.ContainsFunc(rt.Routes, func(r model.Route) bool {
			return r.Target == model.TargetVpcPeering && r.TargetID == string(pcx.ID) && r.Destination.Contains(f.dst)
		}) {
			others = append(others, rt.Tags.NameOr(string(rt.ID)))
		}
	}
	slices.Sort(others)
	rt := e.subnet.rt
	t.block(fs, NoRoute, func() Explanation {
		m := "route table " + rt.comp.Label() + " of subnet " + e.subnet.comp.Label() + " has no route to " + block.String() + " through the peering connection " +
			pcx.Tags.NameOr(string(pcx.ID)) + " (" + string(pcx.ID) + "), which joins its VPC with the VPC that holds " + f.dst.String() + ", so the packet follows another route out of the VPC"
		if len(others) > 0 {
			m += " (route table " + strings.Join(others, ", ") + " has the route)"
		}
		return Explanation{Code: CodeNoRouteToDestination, Path: "forward", Hop: seq, Component: rt.comp, Address: f.dst, Message: m, clause: m}
	})
	return true
}

// peerBlock is the CIDR block of vpc that holds a.
func peerBlock(vpc *model.VPC, a netip.Addr) (netip.Prefix, bool) {
	if vpc == nil {
		return netip.Prefix{}, false
	}
	for _, b := range append([]netip.Prefix{vpc.CIDR}, vpc.Secondary...) {
		if b.Contains(a) {
			return b.Masked(), true
		}
	}
	return netip.Prefix{}, false
}
