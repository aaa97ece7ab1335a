package fix

import (
	"fmt"
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
			Title:    fmt.Sprintf("Route %s (the VPC %s) to VPC peering connection %s in route table %s", cidr, v.Tags.NameOr(string(v.ID)), pcxName, name),
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
