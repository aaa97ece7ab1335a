package fix

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// peeringRoute: a route table with no route (or the wrong one) to a
// private address of a VPC that an active peering connection joins to the
// table's VPC gets a route for that VPC's CIDR block through the
// connection. Traffic over a peering connection needs a route to it in
// the route tables of both sides (VPC Peering Guide, "Update your route
// tables for a VPC peering connection": "add a route to the route tables
// in both VPCs"); the return route is the one most often forgotten.
func (f *finder) peeringRoute(x reach.Explanation) []Fix {
	if !x.Address.IsValid() || !x.Address.Is4() || x.Component == nil {
		return nil
	}
	rt := f.st.RouteTables[model.RouteTableID(x.Component.ID)]
	if rt == nil {
		return nil
	}
	var out []Fix
	for _, c := range f.st.VpcPeerings {
		if c.Status != "active" || c.InterRegion() {
			continue
		}
		peer, ok := c.Peer(rt.VpcID)
		if !ok {
			continue
		}
		v := f.st.VPCs[peer]
		if v == nil {
			continue
		}
		cidr := v.CIDR
		for _, s := range v.Secondary {
			if s.Contains(x.Address) {
				cidr = s
			}
		}
		if !cidr.Contains(x.Address) {
			continue
		}
		id := c.ID
		in := engine.RouteInput{RouteTableID: rt.ID, DestinationCIDR: cidr.String(), VpcPeeringID: id}
		name, pcxName := rt.Tags.NameOr(string(rt.ID)), c.Tags.NameOr(string(id))
		out = append(out, Fix{
			score: 20, Kind: "route",
			Title:    fmt.Sprintf("Route %s (%s) to VPC peering connection %s in route table %s", cidr, vpcPhrase(f.st, v.ID), pcxName, name),
			Detail:   "Traffic over a VPC peering connection needs a route to the connection in the route tables of both VPCs: the replies come back only through a route to the connection.",
			Commands: []string{fmt.Sprintf("aws ec2 create-route --route-table-id %s --destination-cidr-block %s --vpc-peering-connection-id %s", rt.ID, cidr, id)},
			Scenario: fmt.Sprintf("route_tables:\n  %s:\n    routes:\n      - {destination: %s, target: %s}\n", name, cidr, pcxName),
			apply:    func(e *engine.Engine) error { return e.CreateRoute(in) },
		})
	}
	slices.SortFunc(out, func(a, b Fix) int { return strings.Compare(a.Title, b.Title) })
	return out
}

// acceptPeering: a route whose target is a VPC peering connection still
// pending-acceptance is a blackhole until the accepter accepts it (VPC
// Peering Guide, "Update your route tables for a VPC peering
// connection"): accept it. Across accounts the accepter's owner runs the
// command, in the accepter's account.
func (f *finder) acceptPeering(x reach.Explanation) []Fix {
	if x.Route == nil || x.Route.TargetType != "vpc-peering-connection" {
		return nil
	}
	c := f.st.VpcPeerings[model.VpcPeeringConnectionID(x.Route.Target)]
	if c == nil || c.Status != "pending-acceptance" {
		return nil
	}
	id, name := c.ID, c.Tags.NameOr(string(c.ID))
	return []Fix{{
		score: 10, Kind: "vpc-peering",
		Title:    fmt.Sprintf("Accept the VPC peering connection %s (pending-acceptance)", name),
		Detail:   "A peering connection carries nothing until the owner of the accepter VPC accepts it; routes to it are blackholes until then. Across accounts, the accepter's owner runs the command in the accepter's account and region.",
		Commands: []string{fmt.Sprintf("aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id %s", id)},
		Scenario: fmt.Sprintf("vpc_peering_connections:\n  %s:\n    accepted: true\n", name),
		apply: func(e *engine.Engine) error {
			_, err := e.AcceptVpcPeeringConnection(id)
			return err
		},
	}}
}

// peerDirectly: a VPC peering connection carries traffic only between the
// two VPCs it joins (no transitive peering: VPC Peering Guide,
// "Unsupported VPC peering configurations"), so a route that sends a
// third VPC's block to it drops the packet at the connection. The fix
// peers the two VPCs themselves: a connection between them (an existing
// active one, else a new one, accepted), the sender's route to the
// destination's block through it, and the destination subnet's route back
// to the sender's block. It is verified by probing again (overlapping
// blocks fail the new connection, as on AWS).
func (f *finder) peerDirectly(x reach.Explanation) []Fix {
	if !x.Address.IsValid() || !x.Address.Is4() || x.Path != "forward" {
		return nil
	}
	// The sender's route table: the last peering route before the drop.
	var srcRT *model.RouteTable
	var src netip.Addr
	for i := range f.res.Forward {
		h := &f.res.Forward[i]
		if h.Seq >= x.Hop {
			break
		}
		if h.Route != nil && h.Route.TargetType == model.TargetVpcPeering.String() {
			srcRT = f.st.RouteTables[model.RouteTableID(h.Route.RouteTableID)]
			src = h.Packet.Source
		}
	}
	if srcRT == nil || !src.IsValid() {
		return nil
	}
	return f.peerVPCs(srcRT, src, x.Address, "Peer %s with %s directly and route %s and %s through that connection (peering is not transitive)",
		"A VPC peering connection carries traffic only between the two VPCs it joins: traffic for a third VPC, even one peered with the other side, is dropped at the connection. "+
			"Each pair of VPCs that talk needs its own connection and routes on both sides (or a transit gateway).")
}

// peerWithDestination: a private address of another VPC of the region,
// which the source's route table sends to the internet (an internet or NAT
// gateway's route) because nothing joins the two VPCs, is dropped there:
// the internet does not route private addresses (a VPC "is logically
// isolated from other virtual networks in the AWS Cloud", Amazon VPC User
// Guide; "To connect two VPCs privately … use a VPC peering connection",
// VPC Peering Guide). The fix peers the two VPCs and routes each one's
// block to the other through the connection (a transit gateway does it
// too, for more VPCs).
func (f *finder) peerWithDestination(x reach.Explanation) []Fix {
	if !x.Address.IsValid() || !x.Address.Is4() || x.Path != "forward" || x.Component == nil || x.Component.Type != "internet" {
		return nil
	}
	// The source's route table: the first route the packet took.
	var srcRT *model.RouteTable
	var src netip.Addr
	for i := range f.res.Forward {
		h := &f.res.Forward[i]
		if h.Seq >= x.Hop {
			break
		}
		if h.Route != nil {
			srcRT = f.st.RouteTables[model.RouteTableID(h.Route.RouteTableID)]
			src = h.Packet.Source
			break
		}
	}
	if srcRT == nil || !src.IsValid() {
		return nil
	}
	return f.peerVPCs(srcRT, src, x.Address, "Peer %s with %s and route %s and %s through that connection",
		"Two VPCs are isolated from each other: a private address of the other VPC sent to an internet or NAT gateway is dropped, as the internet does not route private addresses. "+
			"A VPC peering connection (or a transit gateway) joins them, with a route to the other VPC's block on both sides; the destination's security groups must admit the source's addresses.")
}

// peerVPCs is the fix that joins the VPC of srcRT (whose packet from src
// goes to dst) and the VPC holding dst with a peering connection (an
// existing active one, else a new one, accepted) and routes both ways;
// title takes the two VPCs' names and the two blocks.
func (f *finder) peerVPCs(srcRT *model.RouteTable, src, dst netip.Addr, title, detail string) []Fix {
	srcVPC := f.st.VPCs[srcRT.VpcID]
	dstVPC, dstCIDR := f.vpcHolding(dst)
	if srcVPC == nil || dstVPC == nil || dstVPC.ID == srcVPC.ID {
		return nil
	}
	srcCIDR, ok := vpcBlock(srcVPC, src)
	if !ok {
		return nil
	}
	var dstSub *model.Subnet
	for _, s := range f.st.Subnets {
		if s.VpcID == dstVPC.ID && s.CIDR.Contains(dst) {
			dstSub = s
		}
	}
	if dstSub == nil {
		return nil
	}
	dstRT := f.st.SubnetRouteTable(dstSub.ID)
	if dstRT == nil {
		return nil
	}
	var existing *model.VpcPeeringConnection
	for _, c := range f.st.VpcPeerings {
		if p, ok := c.Peer(srcVPC.ID); ok && p == dstVPC.ID && c.Status == "active" && !c.InterRegion() {
			existing = c
		}
	}
	if existing != nil && routesThrough(dstRT, srcCIDR, existing.ID) {
		// Peered, and the peer routes back: only the source's table lacks
		// the route, which reach names on that table (peeringhint.go) and
		// the route fix adds.
		return nil
	}
	srcName, dstName := srcVPC.Tags.NameOr(string(srcVPC.ID)), dstVPC.Tags.NameOr(string(dstVPC.ID))
	pcxName := srcName + "-" + dstName
	pcxCLI := "<VpcPeeringConnectionId>"
	var cmds []string
	if existing != nil {
		pcxName, pcxCLI = existing.Tags.NameOr(string(existing.ID)), string(existing.ID)
	} else {
		cmds = append(cmds,
			fmt.Sprintf("aws ec2 create-vpc-peering-connection --vpc-id %s --peer-vpc-id %s    # → VpcPeeringConnectionId", srcVPC.ID, dstVPC.ID),
			"aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id <VpcPeeringConnectionId>")
	}
	routeVerb := func(rt *model.RouteTable, cidr netip.Prefix) string {
		for _, r := range rt.Routes {
			if r.Destination == cidr {
				return "replace-route"
			}
		}
		return "create-route"
	}
	cmds = append(cmds,
		fmt.Sprintf("aws ec2 %s --route-table-id %s --destination-cidr-block %s --vpc-peering-connection-id %s", routeVerb(srcRT, dstCIDR), srcRT.ID, dstCIDR, pcxCLI),
		fmt.Sprintf("aws ec2 %s --route-table-id %s --destination-cidr-block %s --vpc-peering-connection-id %s", routeVerb(dstRT, srcCIDR), dstRT.ID, srcCIDR, pcxCLI))
	srcRTName, dstRTName := srcRT.Tags.NameOr(string(srcRT.ID)), dstRT.Tags.NameOr(string(dstRT.ID))
	scen := fmt.Sprintf("route_tables:\n  %s:\n    routes:\n      - {destination: %s, target: %s}\n  %s:\n    routes:\n      - {destination: %s, target: %s}\n",
		srcRTName, dstCIDR, pcxName, dstRTName, srcCIDR, pcxName)
	if existing == nil {
		scen = fmt.Sprintf("vpc_peering_connections:\n  %s: {requester: %s, accepter: %s}\n", pcxName, srcName, dstName) + scen
	}
	srcRTID, dstRTID, srcID, dstID := srcRT.ID, dstRT.ID, srcVPC.ID, dstVPC.ID
	var have model.VpcPeeringConnectionID
	if existing != nil {
		have = existing.ID
	}
	setRoute := func(e *engine.Engine, rt model.RouteTableID, cidr netip.Prefix, pcx model.VpcPeeringConnectionID) error {
		in := engine.RouteInput{RouteTableID: rt, DestinationCIDR: cidr.String(), VpcPeeringID: pcx}
		if st, _ := e.Snapshot(); st.RouteTables[rt] != nil && slices.ContainsFunc(st.RouteTables[rt].Routes, func(r model.Route) bool { return r.Destination == cidr }) {
			return e.ReplaceRoute(in)
		}
		return e.CreateRoute(in)
	}
	return []Fix{{
		score: 30, Kind: "vpc-peering",
		Title:    fmt.Sprintf(title, vpcPhrase(f.st, srcVPC.ID), vpcPhrase(f.st, dstVPC.ID), dstCIDR, srcCIDR),
		Detail:   detail,
		Commands: cmds,
		Scenario: scen,
		apply: func(e *engine.Engine) error {
			pcx := have
			if pcx == "" {
				c, err := e.CreateVpcPeeringConnection(engine.CreateVpcPeeringInput{VpcID: srcID, PeerVpcID: dstID, Tags: model.Tags{"Name": pcxName}})
				if err != nil {
					return err
				}
				if _, err := e.AcceptVpcPeeringConnection(c.ID); err != nil {
					return err
				}
				pcx = c.ID
			}
			if err := setRoute(e, srcRTID, dstCIDR, pcx); err != nil {
				return err
			}
			return setRoute(e, dstRTID, srcCIDR, pcx)
		},
	}}
}

// vpcHolding returns the VPC of the region one of whose blocks holds a,
// and that block.
func (f *finder) vpcHolding(a netip.Addr) (*model.VPC, netip.Prefix) {
	// Of overlapping VPCs, the one with an interface at a, else the
	// first by id (not the map's order).
	var first *model.VPC
	var firstBlock netip.Prefix
	for _, id := range slices.Sorted(maps.Keys(f.st.VPCs)) {
		v := f.st.VPCs[id]
		c, ok := vpcBlock(v, a)
		if !ok {
			continue
		}
		if f.eniAt(id, a.String()) != nil {
			return v, c
		}
		if first == nil {
			first, firstBlock = v, c
		}
	}
	return first, firstBlock
}

// vpcBlock returns the block of v (primary or secondary) that holds a.
func vpcBlock(v *model.VPC, a netip.Addr) (netip.Prefix, bool) {
	for _, c := range append([]netip.Prefix{v.CIDR}, v.Secondary...) {
		if c.Contains(a) {
			return c, true
		}
	}
	return netip.Prefix{}, false
}

// peeringDNS: the destination was an instance's public DNS name, which
// resolved to its public address from a peered VPC because the peering
// connection does not allow DNS resolution from the remote VPC on the
// instance's side (VPC Peering Guide, "Enable DNS resolution for a VPC
// peering connection"): turn the option on for that side, so the name
// resolves to the private address and the connection goes through the
// peering connection. Both VPCs need DNS hostnames and DNS resolution on;
// the verification probe says whether they have them.
func (f *finder) peeringDNS() []Fix {
	c, side, ok := f.q.PeeringDNSPublic()
	if !ok || f.res.Reachable {
		return nil
	}
	if id, off := f.q.PeeringDNSAttributesOff(); off {
		return f.vpcDNSAttributes(id, "A VPC peering connection's DNS resolution option resolves public DNS names to private addresses only when both VPCs have DNS resolution and DNS hostnames on.")
	}
	id, name := c.ID, c.Tags.NameOr(string(c.ID))
	on := true
	var req, acc *bool
	key := "requester_allow_remote_vpc_dns_resolution"
	vpc := c.RequesterVpc
	if side == "accepter" {
		acc, key, vpc = &on, "accepter_allow_remote_vpc_dns_resolution", c.AccepterVpc
	} else {
		req = &on
	}
	return []Fix{{
		score: 10, Kind: "vpc-peering",
		Title:    fmt.Sprintf("Allow DNS resolution from the remote VPC on the %s side (%s) of the VPC peering connection %s", side, vpcPhrase(f.st, vpc), name),
		Detail:   "With the option on, the public DNS names of the " + side + " VPC's instances resolve to their private addresses when asked from the peer VPC, so the connection goes through the peering connection instead of the internet. Both VPCs must have DNS hostnames and DNS resolution on; across accounts the owner of the " + side + " VPC runs the command.",
		Commands: []string{fmt.Sprintf("aws ec2 modify-vpc-peering-connection-options --vpc-peering-connection-id %s --%s-peering-connection-options AllowDnsResolutionFromRemoteVpc=true", id, side)},
		Scenario: fmt.Sprintf("vpc_peering_connections:\n  %s:\n    %s: true\n", name, key),
		apply: func(e *engine.Engine) error {
			_, err := e.ModifyVpcPeeringConnectionOptions(id, req, acc)
			return err
		},
	}}
}
