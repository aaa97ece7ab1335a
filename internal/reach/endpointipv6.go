package reach

import (
	"net/netip"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// An interface endpoint answers an AWS service's name in its VPC (private
// DNS) with A records, AAAA records or both: the addresses its network
// interfaces have (its IP address type: ipv4, dualstack, ipv6) and the
// records its DNS options ask for (DnsRecordIpType; service-defined gives
// the private name A records only). PrivateLink guide, "IP address types"
// and "DNS record IP types". An IPv6-only client connects over IPv6 to
// the AAAA record's address, or has no address to connect to.

// endpointIPv6 returns the IPv6 address an IPv6 client connects to when
// an interface endpoint's private DNS answers a service's name, or the
// sentence for why the name has no AAAA record.
func endpointIPv6(ep *model.VpcEndpoint, dst *eniNode, svc string) (netip.Addr, string) {
	id := string(ep.ID)
	switch {
	case !dst.v6.IsValid():
		return netip.Addr{}, "the " + svc + " interface endpoint " + id + " has the IP address type " + ep.AddressType() + ": its network interfaces have IPv4 addresses only (" +
			dst.primary.String() + "), so its private DNS answers the service's names with A records only (an endpoint of IP address type dualstack, in subnets with IPv6 blocks, answers AAAA records too)"
	case !ep.PrivateNameAAAA():
		return netip.Addr{}, "the " + svc + " interface endpoint " + id + " has the IP address type " + ep.AddressType() + " but the DNS record IP type " + ep.RecordType() +
			": its private DNS answers the service's name with A records only, not with its network interface's IPv6 address " + dst.v6.String() +
			" (DnsRecordIpType dualstack or ipv6 answers AAAA records; service-defined adds them to the endpoint's own Regional and zonal names only)"
	}
	return dst.v6, ""
}

// endpointNoIPv4 returns the sentence for a client with an IPv4 address
// only (no IPv6 address) whose service name an endpoint answers with AAAA
// records only (DnsRecordIpType ipv6); "" when the name has an A record.
func endpointNoIPv4(ep *model.VpcEndpoint, svc string) string {
	if ep.PrivateNameA() {
		return ""
	}
	return "the " + svc + " interface endpoint " + string(ep.ID) + " has the DNS record IP type " + ep.RecordType() +
		": its private DNS answers the service's name with AAAA records only, and the source has no IPv6 address to connect from"
}

// endpointIPv6FixHint is the start failure's hint when an interface
// endpoint answered an IPv6-only task's service name with no AAAA record
// (why is endpointIPv6's sentence).
func endpointIPv6FixHint(why string) string {
	if strings.Contains(why, "but the DNS record IP type") {
		return "set the interface endpoint's DNS record IP type to dualstack (aws ec2 modify-vpc-endpoint --dns-options DnsRecordIpType=dualstack), so its private DNS answers AAAA records for the IPv6-only tasks"
	}
	return "make the interface endpoint dualstack (aws ec2 modify-vpc-endpoint --ip-address-type dualstack --dns-options DnsRecordIpType=dualstack; its subnets need IPv6 blocks), so its private DNS answers AAAA records for the IPv6-only tasks, " +
		"and let its security groups admit the tasks' IPv6 addresses on tcp/443"
}
