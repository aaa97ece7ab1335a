package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// endpointIPv6: an IPv6-only client whose service name an interface
// endpoint answers with no AAAA record (reach.CodeNoIPv6Address at the
// endpoint's network interface): an endpoint of IP address type ipv4 in
// subnets that all have IPv6 blocks becomes dualstack (its records
// dualstack too), and a dualstack endpoint whose DNS record IP type is
// ipv4 or service-defined answers dualstack records (ModifyVpcEndpoint
// IpAddressType and DnsOptions; PrivateLink guide, "IP address types" and
// "DNS record IP types").
func (f *finder) endpointIPv6(x reach.Explanation) []Fix {
	ep := f.endpointOfInterface(x)
	if ep == nil {
		return nil
	}
	id := ep.ID
	name := ep.Tags.NameOr(string(id))
	dualstack := "dualstack"
	switch ep.AddressType() {
	case "ipv4":
		for _, s := range ep.Subnets {
			sub := f.st.Subnets[s]
			if sub == nil || len(sub.IPv6) == 0 || sub.IPv6Native {
				return nil // a subnet without an IPv6 block: dualstack is refused
			}
		}
		return []Fix{{
			score: 12, Kind: "vpc-endpoints",
			Title: fmt.Sprintf("Make the interface endpoint %s dualstack, so its private DNS answers the service's name with AAAA records for IPv6-only clients", name),
			Detail: "An endpoint of IP address type ipv4 has IPv4 addresses only, and its private DNS answers A records only: an IPv6-only subnet's interfaces have no IPv4 address to use them from. " +
				"Dualstack gives each of its network interfaces an IPv6 address of its subnet and, with DNS record IP type dualstack, AAAA records beside the A records. Its security groups must allow the clients' IPv6 addresses.",
			Commands: []string{fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --ip-address-type dualstack --dns-options DnsRecordIpType=dualstack", id)},
			Scenario: fmt.Sprintf("vpc_endpoints:\n  %s: {…, ip_address_type: dualstack}\n", name),
			apply: func(e *engine.Engine) error {
				_, err := e.ModifyVpcEndpoint(engine.ModifyVpcEndpointInput{ID: id, IPAddressType: &dualstack, DNSRecordIPType: &dualstack})
				return err
			},
		}}
	case "dualstack":
		if ep.PrivateNameAAAA() {
			return nil
		}
		return []Fix{{
			score: 14, Kind: "vpc-endpoints",
			Title: fmt.Sprintf("Set the DNS record IP type of the interface endpoint %s to dualstack, so its private DNS answers AAAA records too", name),
			Detail: fmt.Sprintf("The endpoint is dualstack, but its DNS record IP type %s answers the service's name with A records only; dualstack answers A and AAAA records, "+
				"and IPv6-only clients connect to its IPv6 addresses.", ep.RecordType()),
			Commands: []string{fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --dns-options DnsRecordIpType=dualstack", id)},
			Scenario: fmt.Sprintf("vpc_endpoints:\n  %s: {…, dns_record_ip_type: dualstack}\n", name),
			apply: func(e *engine.Engine) error {
				_, err := e.ModifyVpcEndpoint(engine.ModifyVpcEndpointInput{ID: id, DNSRecordIPType: &dualstack})
				return err
			},
		}}
	}
	return nil
}

// endpointOfInterface returns the VPC endpoint whose network interface an
// explanation is about, nil when it is about no endpoint's.
func (f *finder) endpointOfInterface(x reach.Explanation) *model.VpcEndpoint {
	if x.Component == nil {
		return nil
	}
	for _, ep := range f.st.VpcEndpoints {
		if string(ep.ID) == x.Component.ID {
			return ep
		}
		for _, n := range ep.NetworkInterfaces {
			if string(n) == x.Component.ID {
				return ep
			}
		}
	}
	return nil
}
