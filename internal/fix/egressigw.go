package fix

import (
	"fmt"
	"maps"
	"slices"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// attachmentEgressNAT fixes an egress VPC whose transit gateway
// attachment subnets route the internet straight to the internet gateway
// (reach's attachmentToIGW, IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS on a
// route table): the route goes to an available public NAT gateway of the
// VPC instead, one in the attachment subnet's zone first (whitepaper
// "Centralized egress to internet": the attachment subnets' 0.0.0.0/0 to
// the NAT gateway). The NAT gateway's own subnet must route the spoke
// VPCs back to the transit gateway; the verification says whether it does.
func (f *finder) attachmentEgressNAT(x reach.Explanation) []Fix {
	if x.Component == nil || x.Component.Type != "route-table" || x.Route == nil {
		return nil
	}
	rt := f.st.RouteTables[model.RouteTableID(x.Component.ID)]
	if rt == nil {
		return nil
	}
	zone := ""
	for _, a := range rt.Associations {
		if s := f.st.Subnets[a.SubnetID]; s != nil {
			zone = s.AvailabilityZone
			break
		}
	}
	var best *model.NatGateway
	for _, id := range slices.Sorted(maps.Keys(f.st.NatGateways)) {
		ng := f.st.NatGateways[id]
		if ng.VpcID != rt.VpcID || ng.State != "available" || ng.ConnectivityType == "private" || ng.Regional() {
			continue
		}
		if s := f.st.Subnets[ng.SubnetID]; best == nil || s != nil && s.AvailabilityZone == zone && f.st.Subnets[best.SubnetID].AvailabilityZone != zone {
			best = ng
		}
	}
	if best == nil {
		return nil
	}
	dst := x.Route.DestinationCIDR
	rtID, ngID := rt.ID, best.ID
	rtName, natName := rt.Tags.NameOr(string(rt.ID)), best.Tags.NameOr(string(best.ID))
	return []Fix{{
		score: 16, Kind: "nat-gateway",
		Title:    fmt.Sprintf("Route %s to the NAT gateway %s, not the internet gateway, in route table %s", dst, natName, rtName),
		Detail:   "Traffic from other VPCs keeps its private source through the transit gateway; only a NAT gateway gives it an address the internet gateway can carry (centralized egress).",
		Commands: []string{fmt.Sprintf("aws ec2 replace-route --route-table-id %s --destination-cidr-block %s --nat-gateway-id %s", rtID, dst, ngID)},
		Scenario: fmt.Sprintf("route_tables:\n  %s:\n    routes:\n      - {destination: %s, target: %s}\n", rtName, dst, natName),
		apply: func(e *engine.Engine) error {
			return e.ReplaceRoute(engine.RouteInput{RouteTableID: rtID, DestinationCIDR: dst.String(), NatGatewayID: ngID})
		},
	}}
}
