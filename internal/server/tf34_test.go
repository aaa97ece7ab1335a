package server_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Round thirty-four: a NAT gateway's secondary addresses and an interface
// endpoint's fixed addresses (SubnetConfigurations), which the provider's
// aws_nat_gateway and aws_vpc_endpoint take and earlier rounds refused
// (docs/terraform-acceptance.md, "Round thirty-four").

// tf34Network creates a VPC with an internet gateway and two subnets in
// two zones.
func tf34Network(t *testing.T, c clients) (vpc string, subnets []string) {
	t.Helper()
	v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.34.0.0/16")})
	must(t, err)
	vpc = aws.ToString(v.Vpc.VpcId)
	for i, zone := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), AvailabilityZone: aws.String(zone),
			CidrBlock: aws.String([]string{"10.34.1.0/24", "10.34.2.0/24"}[i])})
		must(t, err)
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	igw, err := c.ec2.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)
	_, err = c.ec2.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: aws.String(vpc)})
	must(t, err)
	return vpc, subnets
}

// natAddresses describes a NAT gateway once it is available and returns
// its addresses.
func natAddresses(t *testing.T, c clients, id string) []ec2types.NatGatewayAddress {
	t.Helper()
	var got []ec2types.NatGatewayAddress
	eventually(t, "NAT gateway "+id+" is available", func() bool {
		d, err := c.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
		must(t, err)
		got = d.NatGateways[0].NatGatewayAddresses
		return d.NatGateways[0].State == ec2types.NatGatewayStateAvailable
	})
	return got
}

// secondaryIPs returns the private addresses of a NAT gateway's
// non-primary addresses, sorted.
func secondaryIPs(addrs []ec2types.NatGatewayAddress) []string {
	var out []string
	for _, a := range addrs {
		if !aws.ToBool(a.IsPrimary) {
			out = append(out, aws.ToString(a.PrivateIp))
		}
	}
	slices.Sort(out)
	return out
}

// TestTF34PrivateNatGatewaySecondaryAddresses: a private NAT gateway takes
// fixed secondary addresses or a count of them at creation, answers each
// as a NatGatewayAddress with IsPrimary false on its interface (the
// provider reads secondary_private_ip_addresses from them), and
// AssignPrivateNatGatewayAddress / UnassignPrivateNatGatewayAddress change
// them; the primary address cannot be unassigned.
func TestTF34PrivateNatGatewaySecondaryAddresses(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	_, subnets := tf34Network(t, c)

	fixed, err := c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnets[0]),
		ConnectivityType: ec2types.ConnectivityTypePrivate, PrivateIpAddress: aws.String("10.34.1.10"),
		SecondaryPrivateIpAddresses: []string{"10.34.1.11", "10.34.1.12"}})
	must(t, err)
	id := aws.ToString(fixed.NatGateway.NatGatewayId)
	addrs := natAddresses(t, c, id)
	if got := secondaryIPs(addrs); !slices.Equal(got, []string{"10.34.1.11", "10.34.1.12"}) {
		t.Errorf("secondary addresses %v, want 10.34.1.11 and 10.34.1.12", got)
	}
	for _, a := range addrs {
		if aws.ToString(a.NetworkInterfaceId) == "" || a.Status != ec2types.NatGatewayAddressStatusSucceeded {
			t.Errorf("address %s: interface %q status %q, want the gateway's interface and succeeded",
				aws.ToString(a.PrivateIp), aws.ToString(a.NetworkInterfaceId), a.Status)
		}
	}
	eni, err := c.ec2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{aws.ToString(addrs[0].NetworkInterfaceId)}})
	must(t, err)
	if n := len(eni.NetworkInterfaces[0].PrivateIpAddresses); n != 3 {
		t.Errorf("the gateway's interface holds %d private addresses, want 3", n)
	}

	_, err = c.ec2.AssignPrivateNatGatewayAddress(ctx, &ec2.AssignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(id),
		PrivateIpAddresses: []string{"10.34.1.13"}})
	must(t, err)
	un, err := c.ec2.UnassignPrivateNatGatewayAddress(ctx, &ec2.UnassignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(id),
		PrivateIpAddresses: []string{"10.34.1.11"}})
	must(t, err)
	if got := secondaryIPs(un.NatGatewayAddresses); !slices.Equal(got, []string{"10.34.1.12", "10.34.1.13"}) {
		t.Errorf("after assign and unassign: %v, want 10.34.1.12 and 10.34.1.13", got)
	}
	_, err = c.ec2.UnassignPrivateNatGatewayAddress(ctx, &ec2.UnassignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(id),
		PrivateIpAddresses: []string{"10.34.1.10"}})
	wantCode(t, err, "InvalidParameterValue")

	counted, err := c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnets[1]),
		ConnectivityType: ec2types.ConnectivityTypePrivate, SecondaryPrivateIpAddressCount: aws.Int32(3)})
	must(t, err)
	if got := secondaryIPs(natAddresses(t, c, aws.ToString(counted.NatGateway.NatGatewayId))); len(got) != 3 {
		t.Errorf("a count of 3 gave %v", got)
	}

	// A count with addresses, and more than 8 addresses, are refused.
	_, err = c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnets[1]),
		ConnectivityType: ec2types.ConnectivityTypePrivate, SecondaryPrivateIpAddressCount: aws.Int32(1),
		SecondaryPrivateIpAddresses: []string{"10.34.2.50"}})
	wantCode(t, err, "InvalidParameterCombination")
	_, err = c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnets[1]),
		ConnectivityType: ec2types.ConnectivityTypePrivate, SecondaryPrivateIpAddressCount: aws.Int32(8)})
	wantCode(t, err, "PrivateIpAddressLimitExceeded")
}

// TestTF34PublicNatGatewaySecondaryElasticIPs: a public NAT gateway takes
// secondary Elastic IPs, each on a secondary private address (given, or
// picked), answers them with their allocation and association ids, and
// AssociateNatGatewayAddress / DisassociateNatGatewayAddress change them.
// Deleting the gateway frees every Elastic IP. A count is for private
// gateways only.
func TestTF34PublicNatGatewaySecondaryElasticIPs(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	_, subnets := tf34Network(t, c)
	var eips []string
	for range 3 {
		a, err := c.ec2.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
		must(t, err)
		eips = append(eips, aws.ToString(a.AllocationId))
	}
	_, err := c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnets[0]), AllocationId: aws.String(eips[0]),
		SecondaryPrivateIpAddressCount: aws.Int32(1)})
	wantCode(t, err, "InvalidParameterCombination")

	ng, err := c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnets[0]), AllocationId: aws.String(eips[0]),
		SecondaryAllocationIds: []string{eips[1]}, SecondaryPrivateIpAddresses: []string{"10.34.1.20"}})
	must(t, err)
	id := aws.ToString(ng.NatGateway.NatGatewayId)
	addrs := natAddresses(t, c, id)
	var secondary *ec2types.NatGatewayAddress
	for i := range addrs {
		if !aws.ToBool(addrs[i].IsPrimary) {
			secondary = &addrs[i]
		}
	}
	if secondary == nil || aws.ToString(secondary.AllocationId) != eips[1] || aws.ToString(secondary.PrivateIp) != "10.34.1.20" ||
		aws.ToString(secondary.PublicIp) == "" || aws.ToString(secondary.AssociationId) == "" {
		t.Fatalf("the secondary address: %+v, want %s on 10.34.1.20 with its public address and association", secondary, eips[1])
	}

	_, err = c.ec2.AssociateNatGatewayAddress(ctx, &ec2.AssociateNatGatewayAddressInput{NatGatewayId: aws.String(id), AllocationIds: []string{eips[2]}})
	must(t, err)
	a, err := c.ec2.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{eips[2]}})
	must(t, err)
	if aws.ToString(a.Addresses[0].AssociationId) == "" || aws.ToString(a.Addresses[0].PrivateIpAddress) == "" {
		t.Errorf("the associated Elastic IP: association %q private %q, want both", aws.ToString(a.Addresses[0].AssociationId), aws.ToString(a.Addresses[0].PrivateIpAddress))
	}
	_, err = c.ec2.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(eips[2])})
	wantCode(t, err, "InvalidIPAddress.InUse")

	dis, err := c.ec2.DisassociateNatGatewayAddress(ctx, &ec2.DisassociateNatGatewayAddressInput{NatGatewayId: aws.String(id),
		AssociationIds: []string{aws.ToString(secondary.AssociationId)}})
	must(t, err)
	if got := secondaryIPs(dis.NatGatewayAddresses); len(got) != 1 || got[0] == "10.34.1.20" {
		t.Errorf("after disassociating %s: secondary addresses %v, want only the third Elastic IP's", eips[1], got)
	}
	var primaryAssoc string
	for _, x := range dis.NatGatewayAddresses {
		if aws.ToBool(x.IsPrimary) {
			primaryAssoc = aws.ToString(x.AssociationId)
		}
	}
	_, err = c.ec2.DisassociateNatGatewayAddress(ctx, &ec2.DisassociateNatGatewayAddressInput{NatGatewayId: aws.String(id),
		AssociationIds: []string{primaryAssoc}})
	wantCode(t, err, "InvalidParameterValue")

	_, err = c.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)})
	must(t, err)
	for _, e := range eips {
		_, err := c.ec2.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(e)})
		must(t, err)
	}
}

// TestTF34EndpointSubnetConfigurations: an interface endpoint's interface
// takes the IPv4 address its subnet configuration gives (the provider reads
// subnet_configuration back from the interfaces' primary addresses);
// ModifyVpcEndpoint with another address replaces the interface ("we
// replace the existing endpoint network interface with a new endpoint
// network interface with this IP address"); an address outside the subnet
// and an IPv6 address (ecsnet's endpoints are IPv4) are refused.
func TestTF34EndpointSubnetConfigurations(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	vpc, subnets := tf34Network(t, c)
	primaries := func(id string) map[string]string {
		t.Helper()
		d, err := c.ec2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
		must(t, err)
		out := map[string]string{}
		for _, n := range d.VpcEndpoints[0].NetworkInterfaceIds {
			e, err := c.ec2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{n}})
			must(t, err)
			out[aws.ToString(e.NetworkInterfaces[0].SubnetId)] = aws.ToString(e.NetworkInterfaces[0].PrivateIpAddress)
		}
		return out
	}
	ep, err := c.ec2.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String("com.amazonaws.us-east-1.ecr.api"),
		VpcEndpointType: ec2types.VpcEndpointTypeInterface, PrivateDnsEnabled: aws.Bool(false), SubnetIds: subnets[:1],
		SubnetConfigurations: []ec2types.SubnetConfiguration{{SubnetId: aws.String(subnets[0]), Ipv4: aws.String("10.34.1.100")},
			{SubnetId: aws.String(subnets[1]), Ipv4: aws.String("10.34.2.100")}}})
	must(t, err)
	id := aws.ToString(ep.VpcEndpoint.VpcEndpointId)
	if got := primaries(id); got[subnets[0]] != "10.34.1.100" || got[subnets[1]] != "10.34.2.100" {
		t.Errorf("the endpoint's interfaces: %v, want 10.34.1.100 and 10.34.2.100", got)
	}
	_, err = c.ec2.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String(id),
		SubnetConfigurations: []ec2types.SubnetConfiguration{{SubnetId: aws.String(subnets[0]), Ipv4: aws.String("10.34.1.101")}}})
	must(t, err)
	if got := primaries(id); got[subnets[0]] != "10.34.1.101" || got[subnets[1]] != "10.34.2.100" {
		t.Errorf("after the modification: %v, want 10.34.1.101 and 10.34.2.100", got)
	}
	_, err = c.ec2.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String("com.amazonaws.us-east-1.ecr.dkr"),
		VpcEndpointType: ec2types.VpcEndpointTypeInterface, PrivateDnsEnabled: aws.Bool(false), SubnetIds: subnets[:1],
		SubnetConfigurations: []ec2types.SubnetConfiguration{{SubnetId: aws.String(subnets[0]), Ipv4: aws.String("10.34.2.5")}}})
	wantCode(t, err, "InvalidParameterValue")
	_, err = c.ec2.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String("com.amazonaws.us-east-1.ecr.dkr"),
		VpcEndpointType: ec2types.VpcEndpointTypeInterface, PrivateDnsEnabled: aws.Bool(false), SubnetIds: subnets[:1],
		SubnetConfigurations: []ec2types.SubnetConfiguration{{SubnetId: aws.String(subnets[0]), Ipv6: aws.String("2600:1f18::5")}}})
	// An IPv4 endpoint's configuration needs its IPv4 address (an IPv6
	// one is for dualstack and ipv6 endpoints: endpoint_ipv6_test.go).
	wantCode(t, err, "InvalidParameter")
}

// TestTF34TerraformNatSecondaryAndEndpointAddresses applies, with the real
// terraform and hashicorp/aws, a public NAT gateway with a secondary
// Elastic IP on a fixed address, private ones with fixed and counted
// secondary addresses, and an interface endpoint with a fixed address in
// each subnet; the second plan must be empty (the provider reads the
// addresses back from NatGatewayAddresses and the endpoint's interfaces).
func TestTF34TerraformNatSecondaryAndEndpointAddresses(t *testing.T) {
	terraformApply(t, "testdata/terraform/nat-secondary-vpce", "us-west-2", "")
}
