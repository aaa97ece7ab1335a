package fix

import (
	"fmt"
	"net/netip"

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
