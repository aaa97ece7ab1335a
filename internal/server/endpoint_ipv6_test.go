package server_test

import (
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestVpcEndpointIPv6: interface endpoints of IP address type dualstack
// and ipv6 (PrivateLink guide, "IP address types" and "DNS record IP
// types"): a dualstack endpoint's interfaces get an IPv4 and an IPv6
// address of their subnets, an ipv6 one's an IPv6 address only;
// DnsOptions' record type defaults to the address type's and must fit it;
// the subnets must have the address ranges the type needs; ModifyVpcEndpoint
// changes the record type and the address type; SubnetConfigurations take
// an Ipv6 address; without a type, an endpoint whose subnets are all
// IPv6-only is ipv6.
func TestVpcEndpointIPv6(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	vpc := v.Vpc.VpcId
	_, err = e.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	vpc56 := netip.MustParsePrefix(aws.ToString(v.Vpc.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock))
	a6 := vpc56.Addr().As16()
	sub64 := func(n byte) netip.Prefix { b := a6; b[7] = n; return netip.PrefixFrom(netip.AddrFrom16(b), 64) }
	dual, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24"), Ipv6CidrBlock: aws.String(sub64(1).String()), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	only6, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, Ipv6Native: aws.Bool(true), Ipv6CidrBlock: aws.String(sub64(2).String()), AvailabilityZone: aws.String("us-east-1b")})
	must(t, err)
	only4, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.3.0/24"), AvailabilityZone: aws.String("us-east-1c")})
	must(t, err)
	dualID, only6ID, only4ID := aws.ToString(dual.Subnet.SubnetId), aws.ToString(only6.Subnet.SubnetId), aws.ToString(only4.Subnet.SubnetId)

	create := func(svc string, ip ec2types.IpAddressType, dns ec2types.DnsRecordIpType, subnets ...string) (*ec2.CreateVpcEndpointOutput, error) {
		in := &ec2.CreateVpcEndpointInput{VpcId: vpc, ServiceName: aws.String("com.amazonaws.us-east-1." + svc), VpcEndpointType: ec2types.VpcEndpointTypeInterface,
			SubnetIds: subnets, IpAddressType: ip}
		if dns != "" {
			in.DnsOptions = &ec2types.DnsOptionsSpecification{DnsRecordIpType: dns}
		}
		return e.CreateVpcEndpoint(ctx, in)
	}
	eni := func(id string) ec2types.NetworkInterface {
		t.Helper()
		out, err := e.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{id}})
		must(t, err)
		return out.NetworkInterfaces[0]
	}

	// Dualstack: both families; the record type defaults to dualstack.
	ds, err := create("ecr.api", ec2types.IpAddressTypeDualstack, "", dualID)
	must(t, err)
	if ds.VpcEndpoint.IpAddressType != ec2types.IpAddressTypeDualstack || ds.VpcEndpoint.DnsOptions == nil || ds.VpcEndpoint.DnsOptions.DnsRecordIpType != ec2types.DnsRecordIpTypeDualstack {
		t.Errorf("dualstack endpoint: type %q dns %+v", ds.VpcEndpoint.IpAddressType, ds.VpcEndpoint.DnsOptions)
	}
	n := eni(ds.VpcEndpoint.NetworkInterfaceIds[0])
	if aws.ToString(n.PrivateIpAddress) == "" || len(n.Ipv6Addresses) != 1 || !sub64(1).Contains(netip.MustParseAddr(aws.ToString(n.Ipv6Addresses[0].Ipv6Address))) {
		t.Errorf("dualstack endpoint's interface: IPv4 %q IPv6 %v", aws.ToString(n.PrivateIpAddress), n.Ipv6Addresses)
	}

	// ipv6 in an IPv6-only subnet: an IPv6 address only.
	v6, err := create("logs", ec2types.IpAddressTypeIpv6, "", only6ID)
	must(t, err)
	n = eni(v6.VpcEndpoint.NetworkInterfaceIds[0])
	if aws.ToString(n.PrivateIpAddress) != "" || len(n.Ipv6Addresses) != 1 || v6.VpcEndpoint.DnsOptions.DnsRecordIpType != ec2types.DnsRecordIpTypeIpv6 {
		t.Errorf("ipv6 endpoint's interface: IPv4 %q IPv6 %v, record type %q", aws.ToString(n.PrivateIpAddress), n.Ipv6Addresses, v6.VpcEndpoint.DnsOptions.DnsRecordIpType)
	}

	// No type given: ipv6 when every subnet is IPv6-only.
	def, err := create("ssmmessages", "", "", only6ID)
	must(t, err)
	if def.VpcEndpoint.IpAddressType != ec2types.IpAddressTypeIpv6 {
		t.Errorf("an endpoint in an IPv6-only subnet without a type: %q, want ipv6", def.VpcEndpoint.IpAddressType)
	}
	// The subnets must have the ranges the type needs.
	_, err = create("secretsmanager", ec2types.IpAddressTypeDualstack, "", only4ID)
	apiErrorIs(t, "dualstack in an IPv4-only subnet", err, "InvalidParameter", "Subnet "+only4ID+" does not have both IPv4 and IPv6 address ranges: a VPC endpoint of IP address type dualstack needs subnets with both.")
	_, err = create("secretsmanager", ec2types.IpAddressTypeIpv6, "", dualID)
	apiErrorIs(t, "ipv6 in a dual-stack subnet", err, "InvalidParameter", "Subnet "+dualID+" is not an IPv6-only subnet: a VPC endpoint of IP address type ipv6 needs IPv6-only subnets.")
	_, err = create("secretsmanager", ec2types.IpAddressTypeIpv4, "", only6ID)
	apiErrorIs(t, "ipv4 in an IPv6-only subnet", err, "InvalidParameter", "Subnet "+only6ID+" is an IPv6-only subnet: a VPC endpoint of IP address type ipv4 needs subnets with IPv4 address ranges.")
	// The record type must fit the address type.
	_, err = create("secretsmanager", ec2types.IpAddressTypeIpv4, ec2types.DnsRecordIpTypeIpv6, only4ID)
	apiErrorIs(t, "ipv6 records of an ipv4 endpoint", err, "InvalidParameter", "DnsRecordIpType ipv6 is not supported for VPC endpoints of IP address type ipv4.")
	_, err = create("secretsmanager", ec2types.IpAddressTypeIpv6, ec2types.DnsRecordIpTypeServiceDefined, only6ID)
	apiErrorIs(t, "service-defined records of an ipv6 endpoint", err, "InvalidParameter", "DnsRecordIpType service-defined is not supported for VPC endpoints of IP address type ipv6.")
	_, err = create("secretsmanager", "ipv5", "", only4ID)
	apiErrorIs(t, "unknown type", err, "InvalidParameterValue", "Value (ipv5) for parameter IpAddressType is invalid. Valid values are ipv4, dualstack, ipv6.")

	// An IPv6 address given by SubnetConfigurations, with the IPv4 one a
	// dualstack endpoint needs too.
	want6 := sub64(1).Addr().Next().Next().Next().Next().Next().Next().Next().Next().Next().Next()
	cfg, err := e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc, ServiceName: aws.String("com.amazonaws.us-east-1.sts"), VpcEndpointType: ec2types.VpcEndpointTypeInterface,
		IpAddressType: ec2types.IpAddressTypeDualstack, SubnetConfigurations: []ec2types.SubnetConfiguration{{SubnetId: dual.Subnet.SubnetId, Ipv4: aws.String("10.0.1.77"), Ipv6: aws.String(want6.String())}}})
	must(t, err)
	n = eni(cfg.VpcEndpoint.NetworkInterfaceIds[0])
	if aws.ToString(n.PrivateIpAddress) != "10.0.1.77" || len(n.Ipv6Addresses) != 1 || aws.ToString(n.Ipv6Addresses[0].Ipv6Address) != want6.String() {
		t.Errorf("configured interface: %q %v, want 10.0.1.77 %s", aws.ToString(n.PrivateIpAddress), n.Ipv6Addresses, want6)
	}
	_, err = e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc, ServiceName: aws.String("com.amazonaws.us-east-1.kms"), VpcEndpointType: ec2types.VpcEndpointTypeInterface,
		IpAddressType: ec2types.IpAddressTypeDualstack, SubnetConfigurations: []ec2types.SubnetConfiguration{{SubnetId: dual.Subnet.SubnetId, Ipv4: aws.String("10.0.1.78")}}})
	apiErrorIs(t, "dualstack configuration without Ipv6", err, "InvalidParameter", "An IPv6 address must be provided for subnet "+dualID+" of a VPC endpoint of IP address type dualstack.")

	// Modify: the record type to ipv4 (A records only), then the
	// address type of an ipv4 endpoint to dualstack: its interface is
	// replaced by one with an IPv6 address.
	_, err = e.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: ds.VpcEndpoint.VpcEndpointId, DnsOptions: &ec2types.DnsOptionsSpecification{DnsRecordIpType: ec2types.DnsRecordIpTypeIpv4}})
	must(t, err)
	v4, err := create("ssm", "", "", dualID)
	must(t, err)
	if len(eni(v4.VpcEndpoint.NetworkInterfaceIds[0]).Ipv6Addresses) != 0 {
		t.Errorf("an ipv4 endpoint's interface has IPv6 addresses")
	}
	_, err = e.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: v4.VpcEndpoint.VpcEndpointId, IpAddressType: ec2types.IpAddressTypeDualstack})
	must(t, err)
	got, err := e.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{aws.ToString(ds.VpcEndpoint.VpcEndpointId), aws.ToString(v4.VpcEndpoint.VpcEndpointId)}})
	must(t, err)
	for _, ep := range got.VpcEndpoints {
		switch aws.ToString(ep.VpcEndpointId) {
		case aws.ToString(ds.VpcEndpoint.VpcEndpointId):
			if ep.IpAddressType != ec2types.IpAddressTypeDualstack || ep.DnsOptions.DnsRecordIpType != ec2types.DnsRecordIpTypeIpv4 {
				t.Errorf("modified record type: %q %q", ep.IpAddressType, ep.DnsOptions.DnsRecordIpType)
			}
		default:
			if ep.IpAddressType != ec2types.IpAddressTypeDualstack || ep.DnsOptions.DnsRecordIpType != ec2types.DnsRecordIpTypeDualstack {
				t.Errorf("modified address type: %q %q", ep.IpAddressType, ep.DnsOptions.DnsRecordIpType)
			}
			if len(eni(ep.NetworkInterfaceIds[0]).Ipv6Addresses) != 1 {
				t.Errorf("the dualstack endpoint's interface has no IPv6 address")
			}
		}
	}
	_, err = e.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: v4.VpcEndpoint.VpcEndpointId, IpAddressType: ec2types.IpAddressTypeIpv6})
	apiErrorIs(t, "ipv6 in a dual-stack subnet (modify)", err, "InvalidParameter", "Subnet "+dualID+" is not an IPv6-only subnet: a VPC endpoint of IP address type ipv6 needs IPv6-only subnets.")

	// The ip-address-type filter.
	f, err := e.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: []ec2types.Filter{{Name: aws.String("ip-address-type"), Values: []string{"ipv6"}}}})
	must(t, err)
	if len(f.VpcEndpoints) != 2 {
		t.Errorf("ip-address-type ipv6: %d endpoints, want 2", len(f.VpcEndpoints))
	}
}
