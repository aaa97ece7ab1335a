package fix

import (
	"fmt"
	"net/netip"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// nat64Prefix is the well-known prefix DNS64 synthesizes into (RFC 6052).
var nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")

// nat64Fix: an interface of an IPv6-only subnet calls an IPv4-only
// destination (reach.CodeIPv6OnlyNoNAT64). DNS64 goes on in the subnet
// (EnableDns64) and its route table sends 64:ff9b::/96 to a public NAT
// gateway of the VPC, which translates to IPv4 (VPC User Guide, "DNS64
// and NAT64"). Verified by probing again.
func (f *finder) nat64Fix() []Fix {
	var sub *model.Subnet
	for _, h := range f.res.Forward {
		if h.Component != nil && h.Component.Type == "network-interface" {
			if e := f.st.NetworkInterfaces[model.NetworkInterfaceID(h.Component.ID)]; e != nil {
				sub = f.st.Subnets[e.SubnetID]
			}
			break
		}
	}
	return f.nat64For(sub)
}

// nat64For is nat64Fix for the IPv6-only subnet sub (a task start path's,
// which no hop of the probe shows: the task never got its interface), or
// a dual-stack subnet with DNS64 on, whose IPv6 clients connect to the
// synthesized addresses (reach's dns64.go).
func (f *finder) nat64For(sub *model.Subnet) []Fix {
	if sub == nil || !sub.IPv6Native && !sub.EnableDNS64 {
		return nil
	}
	rt := f.st.SubnetRouteTable(sub.ID)
	if rt == nil {
		return nil
	}
	var best *model.NatGateway
	for _, ng := range f.st.NatGateways {
		if ng.VpcID != sub.VpcID || ng.State != "available" || ng.ConnectivityType == "private" || !f.st.PublicSubnet(ng.SubnetID) {
			continue
		}
		s := f.st.Subnets[ng.SubnetID]
		if s == nil {
			continue
		}
		if best == nil || s.AvailabilityZone == sub.AvailabilityZone && f.st.Subnets[best.SubnetID].AvailabilityZone != sub.AvailabilityZone {
			best = ng
		}
	}
	if best == nil {
		return nil
	}
	replace := false
	for _, r := range rt.Routes {
		if r.Destination == nat64Prefix {
			replace = true
		}
	}
	subID, rtID, ngID, dns64 := sub.ID, rt.ID, best.ID, sub.EnableDNS64
	subName, rtName, natName := sub.Tags.NameOr(string(sub.ID)), rt.Tags.NameOr(string(rt.ID)), best.Tags.NameOr(string(best.ID))
	verb := "create-route"
	if replace {
		verb = "replace-route"
	}
	cmds := []string{fmt.Sprintf("aws ec2 %s --route-table-id %s --destination-ipv6-cidr-block 64:ff9b::/96 --nat-gateway-id %s", verb, rtID, ngID)}
	title := fmt.Sprintf("Route 64:ff9b::/96 to the NAT gateway %s from route table %s (NAT64)", natName, rtName)
	scenario := fmt.Sprintf("route_tables:\n  %s:\n    routes:\n      - {destination: \"64:ff9b::/96\", target: %s}\n", rtName, natName)
	if !dns64 {
		cmds = append([]string{fmt.Sprintf("aws ec2 modify-subnet-attribute --subnet-id %s --enable-dns64", subID)}, cmds...)
		title = fmt.Sprintf("Turn DNS64 on in the IPv6-only subnet %s and route 64:ff9b::/96 to the NAT gateway %s from route table %s (NAT64)", subName, natName, rtName)
		scenario = fmt.Sprintf("subnets:\n  %s:\n    dns64: true\n", subName) + scenario
	}
	detail := "DNS64 answers IPv4-only names with 64:ff9b::/96 addresses, and the NAT gateway translates those to IPv4; the interfaces keep no IPv4 address of their own."
	if !sub.IPv6Native {
		detail = "DNS64 on the dual-stack subnet answers IPv4-only names with 64:ff9b::/96 addresses too, which its IPv6 clients connect to; the NAT gateway translates those to IPv4 (or turn DNS64 off on the subnet, and they use the A record)."
	}
	return []Fix{{
		score: 20, Kind: "nat-gateway",
		Title:    title,
		Detail:   detail,
		Commands: cmds,
		Scenario: scenario,
		apply: func(e *engine.Engine) error {
			if !dns64 {
				on := true
				if err := e.ModifySubnetAttributes(subID, engine.SubnetAttributes{EnableDNS64: &on}); err != nil {
					return err
				}
			}
			in := engine.RouteInput{RouteTableID: rtID, DestinationIPv6CIDR: "64:ff9b::/96", NatGatewayID: ngID}
			if replace {
				return e.ReplaceRoute(in)
			}
			return e.CreateRoute(in)
		},
	}}
}
