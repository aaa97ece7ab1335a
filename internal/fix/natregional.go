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

// regionalNatZone: a regional NAT gateway has no address in the source's
// zone (reach.CodeRegionalNATZoneNotServed; manual mode serves only the
// zones of its AvailabilityZoneAddresses). A new Elastic IP associated
// with it in that zone (AssociateNatGatewayAddress with
// AvailabilityZone) makes it serve the zone. Verified by probing again.
func (f *finder) regionalNatZone(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	ng := f.st.NatGateways[model.NatGatewayID(x.Component.ID)]
	if ng == nil || !ng.Regional() {
		return nil
	}
	var sub *model.Subnet
	for _, h := range f.res.Forward {
		if h.Component != nil && h.Component.Type == "network-interface" {
			if e := f.st.NetworkInterfaces[model.NetworkInterfaceID(h.Component.ID)]; e != nil {
				sub = f.st.Subnets[e.SubnetID]
			}
			break
		}
	}
	if sub == nil {
		return nil
	}
	if _, ok := ng.ZoneAddress(sub.AvailabilityZone); ok {
		return nil
	}
	id, zone, name := ng.ID, sub.AvailabilityZone, ng.Tags.NameOr(string(ng.ID))
	eipName := name + "-" + zone
	return []Fix{{
		score: 20, Kind: "nat-gateway",
		Title: fmt.Sprintf("Associate an Elastic IP with the regional NAT gateway %s in %s", name, zone),
		Detail: "A regional NAT gateway given AvailabilityZoneAddresses serves only the zones listed; an Elastic IP in " + zone +
			" makes it translate the traffic of that zone's subnets (a gateway created without AvailabilityZoneAddresses covers every zone of the VPC by itself).",
		Commands: []string{
			"aws ec2 allocate-address --domain vpc",
			fmt.Sprintf("aws ec2 associate-nat-gateway-address --nat-gateway-id %s --availability-zone %s --allocation-ids <AllocationId of the new address>", id, zone),
		},
		Scenario: fmt.Sprintf("elastic_ips:\n  %s: {}\nnat_gateways:\n  %s:\n    zone_addresses: {%s: [%s]}\n", eipName, name, zone, eipName),
		apply: func(e *engine.Engine) error {
			a, err := e.AllocateAddress(netip.Addr{}, model.Tags{"Name": eipName})
			if err != nil {
				return err
			}
			_, err = e.AssociateNatGatewayZoneAddresses(id, engine.NatZoneRequest{Zone: zone, AllocationIDs: []model.AllocationID{a.AllocationID}})
			return err
		},
	}}
}

// regionalNATSource: the client arrives from peer, an address of a
// regional NAT gateway in one zone. The rule to admit is that address;
// the clients of the gateway's other zones arrive from its other
// addresses, so a second source admits them all. nil when peer is no
// regional gateway's.
func regionalNATSource(st *model.State, ids []model.NatGatewayID, peer netip.Addr, host netip.Prefix) []sgSource {
	for _, id := range ids {
		ng := st.NatGateways[id]
		if !ng.Regional() || ng.State == "deleted" || ng.State == "failed" {
			continue
		}
		for _, a := range ng.ZoneAddresses {
			if a.PublicIP != peer {
				continue
			}
			name := ng.Tags.NameOr(string(ng.ID))
			out := []sgSource{{score: 15, cidr: host, desc: "the regional NAT gateway " + name + "'s address in " + a.Zone + " " + host.String()}}
			all := sgSource{score: 14, cidr: host}
			descs := []string{a.Zone + " " + host.String()}
			for _, o := range ng.ZoneAddresses {
				if o.PublicIP == peer {
					continue
				}
				p := netip.PrefixFrom(o.PublicIP, o.PublicIP.BitLen())
				all.more = append(all.more, p)
				descs = append(descs, o.Zone+" "+p.String())
			}
			if len(all.more) > 0 {
				all.desc = "every address of the regional NAT gateway " + name + " (" + strings.Join(descs, ", ") + ")"
				out = append(out, all)
			}
			return out
		}
	}
	return nil
}

// existingRegionalNAT: a route table without a working default route
// gets one to a regional NAT gateway of the VPC that serves every zone of
// the table's subnets: one route, no cross-zone traffic, whatever the
// zone.
func (f *finder) existingRegionalNAT(rt *model.RouteTable, subnets []model.SubnetID) (Fix, bool) {
	for _, id := range slices.Sorted(maps.Keys(f.st.NatGateways)) {
		ng := f.st.NatGateways[id]
		if ng.VpcID != rt.VpcID || ng.State != "available" || !ng.Regional() {
			continue
		}
		serves := true
		for _, sid := range subnets {
			if s := f.st.Subnets[sid]; s == nil {
				serves = false
			} else if _, ok := ng.ZoneAddress(s.AvailabilityZone); !ok {
				serves = false
			}
		}
		if !serves {
			continue
		}
		natName, rtName := ng.Tags.NameOr(string(ng.ID)), rt.Tags.NameOr(string(rt.ID))
		verb, replace := "create-route", hasDefault(rt)
		if replace {
			verb = "replace-route"
		}
		ngID, rtID := ng.ID, rt.ID
		return Fix{
			score: 20, Kind: "nat-gateway",
			Title:    fmt.Sprintf("Route 0.0.0.0/0 to the regional NAT gateway %s from route table %s", natName, rtName),
			Detail:   "The VPC's regional NAT gateway " + natName + " has an address in every zone of the subnets: one route carries each zone's traffic out by its own address.",
			Commands: []string{fmt.Sprintf("aws ec2 %s --route-table-id %s --destination-cidr-block 0.0.0.0/0 --nat-gateway-id %s", verb, rtID, ngID)},
			Scenario: fmt.Sprintf("route_tables:\n  %s:\n    routes:\n      - {destination: 0.0.0.0/0, target: %s}\n", rtName, natName),
			apply: func(e *engine.Engine) error {
				in := engine.RouteInput{RouteTableID: rtID, DestinationCIDR: "0.0.0.0/0", NatGatewayID: ngID}
				if replace {
					return e.ReplaceRoute(in)
				}
				return e.CreateRoute(in)
			},
		}, true
	}
	return Fix{}, false
}

// regionalNATRoute is existingRegionalNAT for a start path's subnets,
// when one route table (not a public one) serves them all.
func (f *finder) regionalNATRoute(subnets []model.SubnetID) (Fix, bool) {
	var rt *model.RouteTable
	for _, id := range subnets {
		r := f.st.SubnetRouteTable(id)
		if r == nil || f.st.PublicSubnet(id) || rt != nil && r.ID != rt.ID {
			return Fix{}, false
		}
		rt = r
	}
	if rt == nil {
		return Fix{}, false
	}
	return f.existingRegionalNAT(rt, subnets)
}
