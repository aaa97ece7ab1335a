package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// natBypassRoute: the client's subnet sends a destination of another VPC
// to a NAT gateway whose subnet forwards it into a transit gateway, so the
// destination sees the NAT gateway's private address (reach's nattgw.go)
// and its security group, written for the clients' own ranges, drops it.
// The route of the destination's VPC range to that transit gateway in the
// client's route table carries the clients' own addresses instead
// (transit-gateway-centralized-router.html: each VPC's route table sends
// the other VPCs to the transit gateway). Verified by probing again (the
// replies must find their way back too).
func (f *finder) natBypassRoute(x reach.Explanation) []Fix {
	var ng *model.NatGateway
	var client *model.NetworkInterface
	for i, h := range f.res.Forward {
		if h.Component == nil {
			continue
		}
		switch {
		case h.Component.Type == "network-interface" && client == nil:
			client = f.st.NetworkInterfaces[model.NetworkInterfaceID(h.Component.ID)]
		case h.Component.Type == "nat-gateway" && h.Action == reach.ActionTranslated && i+1 < len(f.res.Forward):
			ng = f.st.NatGateways[model.NatGatewayID(h.Component.ID)]
		}
	}
	if ng == nil || client == nil || ng.Regional() {
		return nil
	}
	rt, natRT := f.st.SubnetRouteTable(client.SubnetID), f.st.SubnetRouteTable(ng.SubnetID)
	dst := f.res.Forward[len(f.res.Forward)-1].Packet.Destination
	if rt == nil || natRT == nil || rt.ID == natRT.ID || !dst.Is4() {
		return nil
	}
	var tgw string
	for _, r := range natRT.Routes {
		if r.Target == model.TargetTransitGateway && r.Destination.Contains(dst) && (tgw == "" || r.Destination.Bits() > 0) {
			tgw = r.TargetID
		}
	}
	var dstVPC *model.VPC
	for _, v := range f.st.VPCs {
		if v.Contains(dst) && v.ID != client.VpcID {
			dstVPC = v
		}
	}
	if tgw == "" || dstVPC == nil {
		return nil
	}
	cidr := dstVPC.CIDR
	for _, b := range dstVPC.CIDRs() {
		if b.Contains(dst) {
			cidr = b
		}
	}
	replace := false
	for _, r := range rt.Routes {
		replace = replace || r.Destination == cidr
	}
	in := engine.RouteInput{RouteTableID: rt.ID, DestinationCIDR: cidr.String(), TransitGatewayID: model.TransitGatewayID(tgw)}
	verb, call := "create-route", func(e *engine.Engine) error { return e.CreateRoute(in) }
	if replace {
		verb, call = "replace-route", func(e *engine.Engine) error { return e.ReplaceRoute(in) }
	}
	name := rt.Tags.NameOr(string(rt.ID))
	tgwName := string(tgw)
	if g := f.st.TransitGateways[model.TransitGatewayID(tgw)]; g != nil {
		tgwName = g.Tags.NameOr(tgwName)
	}
	return []Fix{{
		score: 14, Kind: "route",
		Title:    fmt.Sprintf("Route %s (the VPC %s) to transit gateway %s in route table %s, not through NAT gateway %s", cidr, dstVPC.Tags.NameOr(string(dstVPC.ID)), tgwName, name, ng.Tags.NameOr(string(ng.ID))),
		Detail:   "Through the NAT gateway the other VPC sees the NAT gateway's private address; with the route to the transit gateway in the clients' own route table it sees theirs, which its security groups admit.",
		Commands: []string{fmt.Sprintf("aws ec2 %s --route-table-id %s --destination-cidr-block %s --transit-gateway-id %s", verb, rt.ID, cidr, tgw)},
		Scenario: fmt.Sprintf("route_tables:\n  %s:\n    routes:\n      - {destination: %s, target: %s}\n", name, cidr, tgwName),
		apply:    call,
	}}
}
