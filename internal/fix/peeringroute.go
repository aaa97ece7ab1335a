package fix

import (
	"net/netip"
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
)

// routesThrough reports whether rt routes cidr through the peering
// connection pcx.
func routesThrough(rt *model.RouteTable, cidr netip.Prefix, pcx model.VpcPeeringConnectionID) bool {
	return slices.ContainsFunc(rt.Routes, func(r model.Route) bool {
		return r.Destination == cidr && r.Target == model.TargetVpcPeering && r.TargetID == string(pcx)
	})
}
