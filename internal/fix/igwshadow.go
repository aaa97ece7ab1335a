package fix

import (
	"fmt"
	"net/netip"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// igwMoreSpecificRoute fixes a route table that sends a range more
// specific than its default route to the internet gateway while its
// 0.0.0.0/0 goes to a NAT gateway (a partner's or a vendor's range added
// "to go out directly"): the longest prefix wins (VPC user guide, "Route
// priority"), so interfaces without a public IP send the range to the
// internet gateway, which drops what has no public IP
// (IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS). The range goes to the NAT
// gateway the default route names.
func (f *finder) igwMoreSpecificRoute(x reach.Explanation) []Fix {
	if f.res == nil {
		return nil
	}
	var used *reach.Route
	for i := range f.res.Forward {
		h := &f.res.Forward[i]
		if h.Seq >= x.Hop && x.Hop > 0 {
			break
		}
		if r := h.Route; r != nil && r.TargetType == "internet-gateway" {
			used = r
		}
	}
	if used == nil || !used.DestinationCIDR.IsValid() || used.DestinationCIDR.Bits() == 0 || !used.DestinationCIDR.Addr().Is4() {
		return nil
	}
	rt := f.st.RouteTables[model.RouteTableID(used.RouteTableID)]
	if rt == nil {
		return nil
	}
	var nat *model.NatGateway
	for _, r := range rt.Routes {
		if r.Destination == netip.PrefixFrom(netip.IPv4Unspecified(), 0) && r.Target == model.TargetNatGateway {
			nat = f.st.NatGateways[model.NatGatewayID(r.TargetID)]
		}
	}
	if nat == nil || nat.State != "available" || nat.ConnectivityType == "private" {
		return nil
	}
	dst, rtID, ngID := used.DestinationCIDR, rt.ID, nat.ID
	rtName, natName := rt.Tags.NameOr(string(rt.ID)), nat.Tags.NameOr(string(nat.ID))
	return []Fix{{
		score: 14, Kind: "route",
		Title: fmt.Sprintf("Route %s to the NAT gateway %s, as 0.0.0.0/0 is, not the internet gateway, in route table %s", dst, natName, rtName),
		Detail: fmt.Sprintf("The most specific route wins: %s goes to the internet gateway, which carries only traffic from addresses with a public IP, "+
			"while the rest of the internet goes through the NAT gateway. A route to the NAT gateway (or none, so 0.0.0.0/0 applies) gives the range the NAT gateway's Elastic IP as source.", dst),
		Commands: []string{fmt.Sprintf("aws ec2 replace-route --route-table-id %s --destination-cidr-block %s --nat-gateway-id %s", rtID, dst, ngID)},
		Scenario: fmt.Sprintf("route_tables:\n  %s:\n    routes:\n      - {destination: %s, target: %s}\n", rtName, dst, natName),
		apply: func(e *engine.Engine) error {
			return e.ReplaceRoute(engine.RouteInput{RouteTableID: rtID, DestinationCIDR: dst.String(), NatGatewayID: ngID})
		},
	}}
}
