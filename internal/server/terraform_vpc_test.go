package server_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Terraform's AWS provider (internal/service/ec2) drives these calls for
// the VPC resources ecsnet models. Each subtest replays one resource's
// Create/Read/Update/Delete sequence, with the waiters' Describe calls,
// and checks the fields the provider reads back. docs/aws-behavior.md
// ("Terraform's calls") lists the sequences.

func tfBool(v bool) *ec2types.AttributeBooleanValue {
	return &ec2types.AttributeBooleanValue{Value: aws.Bool(v)}
}

func TestTerraformVPCCalls(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2

	// aws_vpc: CreateVpc, DescribeVpcs (waiter), ModifyVpcAttribute for each
	// DNS attribute, then Read: DescribeVpcAttribute x3, the main route
	// table, default security group and default network ACL.
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.20.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpc, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("tf")}}}}})
	must(t, err)
	vpc := aws.ToString(v.Vpc.VpcId)
	_, err = e.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: &vpc, EnableDnsHostnames: tfBool(true)})
	must(t, err)
	for attr, want := range map[ec2types.VpcAttributeName]bool{"enableDnsSupport": true, "enableDnsHostnames": true, "enableNetworkAddressUsageMetrics": false} {
		a, err := e.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: &vpc, Attribute: attr})
		must(t, err)
		var got *ec2types.AttributeBooleanValue
		switch attr {
		case "enableDnsSupport":
			got = a.EnableDnsSupport
		case "enableDnsHostnames":
			got = a.EnableDnsHostnames
		default:
			got = a.EnableNetworkAddressUsageMetrics
		}
		if got == nil || aws.ToBool(got.Value) != want {
			t.Errorf("aws_vpc: %s = %v, want %v", attr, got, want)
		}
	}
	rts, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("association.main", "true"), filter("vpc-id", vpc)}})
	must(t, err)
	sgs, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{filter("group-name", "default"), filter("vpc-id", vpc)}})
	must(t, err)
	acls, err := e.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{filter("default", "true"), filter("vpc-id", vpc)}})
	must(t, err)
	if len(rts.RouteTables) != 1 || len(sgs.SecurityGroups) != 1 || len(acls.NetworkAcls) != 1 {
		t.Fatalf("aws_vpc defaults: %d main route tables, %d default groups, %d default ACLs", len(rts.RouteTables), len(sgs.SecurityGroups), len(acls.NetworkAcls))
	}
	d, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpc}})
	must(t, err)
	v6 := d.Vpcs[0].Ipv6CidrBlockAssociationSet
	if len(v6) != 1 || v6[0].Ipv6CidrBlockState.State != ec2types.VpcCidrBlockStateCodeAssociated {
		t.Fatalf("aws_vpc: IPv6 block %+v", v6)
	}
	block := netip.MustParsePrefix(aws.ToString(v6[0].Ipv6CidrBlock))
	sub64 := func(n byte) string {
		b := block.Addr().As16()
		b[7] = n
		return netip.PrefixFrom(netip.AddrFrom16(b), 64).String()
	}

	t.Run("aws_subnet ipv6_native", func(t *testing.T) {
		// CreateSubnet, DescribeSubnets (waiter), then
		// modifySubnetAttributesOnCreate compares each attribute with the
		// answer: with enable_resource_name_dns_aaaa_record_on_launch = true
		// and assign_ipv6_address_on_creation = true nothing is modified.
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, Ipv6Native: aws.Bool(true), Ipv6CidrBlock: aws.String(sub64(1)), AvailabilityZone: aws.String("us-east-1a")})
		must(t, err)
		id := aws.ToString(s.Subnet.SubnetId)
		got, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{id}})
		must(t, err)
		sub := got.Subnets[0]
		o := sub.PrivateDnsNameOptionsOnLaunch
		if sub.CidrBlock != nil || !aws.ToBool(sub.Ipv6Native) || !aws.ToBool(sub.AssignIpv6AddressOnCreation) || aws.ToBool(sub.EnableDns64) ||
			aws.ToInt32(sub.AvailableIpAddressCount) != 0 || o == nil || o.HostnameType != ec2types.HostnameTypeResourceName ||
			aws.ToBool(o.EnableResourceNameDnsARecord) || !aws.ToBool(o.EnableResourceNameDnsAAAARecord) {
			t.Errorf("IPv6-only subnet as described: %+v %+v", sub, o)
		}
		if len(sub.Ipv6CidrBlockAssociationSet) != 1 || sub.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlockState.State != ec2types.SubnetCidrBlockStateCodeAssociated {
			t.Errorf("IPv6 block: %+v", sub.Ipv6CidrBlockAssociationSet)
		}
		// Updates: DNS64 is allowed; what needs IPv4 is refused.
		_, err = e.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: &id, EnableDns64: tfBool(true)})
		must(t, err)
		for name, in := range map[string]ec2.ModifySubnetAttributeInput{
			"ip-name hostnames":       {SubnetId: &id, PrivateDnsHostnameTypeOnLaunch: ec2types.HostnameTypeIpName},
			"A records":               {SubnetId: &id, EnableResourceNameDnsARecordOnLaunch: tfBool(true)},
			"public IPv4 on launch":   {SubnetId: &id, MapPublicIpOnLaunch: tfBool(true)},
			"no IPv6 on new ENIs":     {SubnetId: &id, AssignIpv6AddressOnCreation: tfBool(false)},
			"unknown hostname type":   {SubnetId: &id, PrivateDnsHostnameTypeOnLaunch: "host-name"},
			"an Outposts attribute":   {SubnetId: &id, MapCustomerOwnedIpOnLaunch: tfBool(true)},
			"no attribute at all":     {SubnetId: &id},
			"an IPv4 address on ENIs": {},
		} {
			if name == "an IPv4 address on ENIs" {
				_, err = e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &id, PrivateIpAddress: aws.String("10.20.0.10")})
			} else {
				_, err = e.ModifySubnetAttribute(ctx, &in)
			}
			if err == nil {
				t.Errorf("an IPv6-only subnet accepted %s", name)
			} else if c := apiCode(err); c == "" || c == "InternalError" {
				t.Errorf("%s: %v", name, err)
			}
		}
		got, err = e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{id}})
		must(t, err)
		if !aws.ToBool(got.Subnets[0].EnableDns64) || got.Subnets[0].PrivateDnsNameOptionsOnLaunch.HostnameType != ec2types.HostnameTypeResourceName {
			t.Errorf("after the updates: %+v", got.Subnets[0])
		}

		// aws_network_interface in the subnet: no private IPv4 address, one
		// IPv6 address of the subnet's /64.
		n, err := e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &id})
		must(t, err)
		eni := n.NetworkInterface
		if eni.PrivateIpAddress != nil || len(eni.PrivateIpAddresses) != 0 || len(eni.Ipv6Addresses) != 1 || !aws.ToBool(eni.Ipv6Native) {
			t.Errorf("ENI of an IPv6-only subnet: %+v", eni)
		} else if a := netip.MustParseAddr(aws.ToString(eni.Ipv6Addresses[0].Ipv6Address)); !netip.MustParsePrefix(sub64(1)).Contains(a) {
			t.Errorf("ENI IPv6 address %s outside %s", a, sub64(1))
		}
		if _, err = e.AssignPrivateIpAddresses(ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: eni.NetworkInterfaceId, SecondaryPrivateIpAddressCount: aws.Int32(1)}); err == nil {
			t.Error("an IPv6-only ENI took a private IPv4 address")
		}
		_, err = e.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: eni.NetworkInterfaceId})
		must(t, err)
		_, err = e.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: &id})
		must(t, err)
	})

	t.Run("aws_subnet dual-stack", func(t *testing.T) {
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.20.1.0/24")})
		must(t, err)
		id := s.Subnet.SubnetId
		if o := s.Subnet.PrivateDnsNameOptionsOnLaunch; o == nil || o.HostnameType != ec2types.HostnameTypeIpName {
			t.Errorf("IPv4 subnet hostname type: %+v", o)
		}
		if _, err = e.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: id, EnableDns64: tfBool(true)}); err == nil ||
			!strings.Contains(err.Error(), "Cannot set enable-dns64 to true unless the subnet has an IPv6 CIDR block associated with it") {
			t.Errorf("DNS64 without IPv6: %v", err)
		}
		// modifySubnetIPv6CIDRBlockAssociation, then the attributes.
		a, err := e.AssociateSubnetCidrBlock(ctx, &ec2.AssociateSubnetCidrBlockInput{SubnetId: id, Ipv6CidrBlock: aws.String(sub64(2))})
		must(t, err)
		if a.Ipv6CidrBlockAssociation == nil {
			t.Fatal("no association")
		}
		for _, in := range []ec2.ModifySubnetAttributeInput{
			{SubnetId: id, EnableDns64: tfBool(true)},
			{SubnetId: id, EnableResourceNameDnsAAAARecordOnLaunch: tfBool(true)},
			{SubnetId: id, EnableResourceNameDnsARecordOnLaunch: tfBool(true)},
			{SubnetId: id, PrivateDnsHostnameTypeOnLaunch: ec2types.HostnameTypeResourceName},
			{SubnetId: id, MapPublicIpOnLaunch: tfBool(true)},
			{SubnetId: id, AssignIpv6AddressOnCreation: tfBool(true)},
		} {
			_, err = e.ModifySubnetAttribute(ctx, &in)
			must(t, err)
		}
		got, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{aws.ToString(id)}})
		must(t, err)
		sub := got.Subnets[0]
		o := sub.PrivateDnsNameOptionsOnLaunch
		if !aws.ToBool(sub.EnableDns64) || !aws.ToBool(sub.MapPublicIpOnLaunch) || !aws.ToBool(sub.AssignIpv6AddressOnCreation) ||
			o.HostnameType != ec2types.HostnameTypeResourceName || !aws.ToBool(o.EnableResourceNameDnsARecord) || !aws.ToBool(o.EnableResourceNameDnsAAAARecord) {
			t.Errorf("dual-stack subnet after the updates: %+v %+v", sub, o)
		}

		// aws_network_interface: private_ips_count, then the update path
		// (AssignPrivateIpAddresses / UnassignPrivateIpAddresses).
		n, err := e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: id})
		must(t, err)
		eni := n.NetworkInterface.NetworkInterfaceId
		as, err := e.AssignPrivateIpAddresses(ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: aws.Int32(2)})
		must(t, err)
		if len(as.AssignedPrivateIpAddresses) != 2 || aws.ToString(as.AssignedPrivateIpAddresses[0].PrivateIpAddress) == aws.ToString(as.AssignedPrivateIpAddresses[1].PrivateIpAddress) {
			t.Fatalf("assigned %+v", as.AssignedPrivateIpAddresses)
		}
		_, err = e.AssignPrivateIpAddresses(ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: eni, PrivateIpAddresses: []string{aws.ToString(as.AssignedPrivateIpAddresses[0].PrivateIpAddress)}})
		if apiCode(err) != "InvalidIPAddress.InUse" {
			t.Errorf("assigning an address twice: %v", err)
		}
		_, err = e.UnassignPrivateIpAddresses(ctx, &ec2.UnassignPrivateIpAddressesInput{NetworkInterfaceId: eni, PrivateIpAddresses: []string{aws.ToString(as.AssignedPrivateIpAddresses[1].PrivateIpAddress)}})
		must(t, err)
		_, err = e.UnassignPrivateIpAddresses(ctx, &ec2.UnassignPrivateIpAddressesInput{NetworkInterfaceId: eni, PrivateIpAddresses: []string{aws.ToString(n.NetworkInterface.PrivateIpAddress)}})
		if err == nil {
			t.Error("the primary address was unassigned")
		}
		dn, err := e.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{aws.ToString(eni)}})
		must(t, err)
		if ips := dn.NetworkInterfaces[0].PrivateIpAddresses; len(ips) != 2 || !aws.ToBool(ips[0].Primary) {
			t.Errorf("addresses after the update: %+v", ips)
		}
		_, err = e.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: eni})
		must(t, err)
	})

	t.Run("aws_egress_only_internet_gateway", func(t *testing.T) {
		g, err := e.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: &vpc})
		must(t, err)
		id := aws.ToString(g.EgressOnlyInternetGateway.EgressOnlyInternetGatewayId)
		_, err = e.DeleteEgressOnlyInternetGateway(ctx, &ec2.DeleteEgressOnlyInternetGatewayInput{EgressOnlyInternetGatewayId: &id})
		must(t, err)
		// The provider's finder has no not-found code to catch: a deleted
		// gateway is an empty answer.
		d, err := e.DescribeEgressOnlyInternetGateways(ctx, &ec2.DescribeEgressOnlyInternetGatewaysInput{EgressOnlyInternetGatewayIds: []string{id}})
		must(t, err)
		if len(d.EgressOnlyInternetGateways) != 0 {
			t.Errorf("deleted gateway still described: %+v", d.EgressOnlyInternetGateways)
		}
	})

	t.Run("aws_eip", func(t *testing.T) {
		// AllocateAddress, DescribeAddresses, then Read reads the reverse DNS
		// record with DescribeAddressesAttribute (ptr_record "").
		a, err := e.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
		must(t, err)
		id := aws.ToString(a.AllocationId)
		attr, err := e.DescribeAddressesAttribute(ctx, &ec2.DescribeAddressesAttributeInput{AllocationIds: []string{id}, Attribute: ec2types.AddressAttributeNameDomainName})
		must(t, err)
		if len(attr.Addresses) != 1 || attr.Addresses[0].PtrRecord != nil || aws.ToString(attr.Addresses[0].PublicIp) != aws.ToString(a.PublicIp) {
			t.Errorf("domain-name attribute of a new address: %+v", attr.Addresses)
		}
		// aws_eip_domain_name: ModifyAddressAttribute, then the waiter reads
		// the record back with its trailing dot; delete resets it.
		m, err := e.ModifyAddressAttribute(ctx, &ec2.ModifyAddressAttributeInput{AllocationId: &id, DomainName: aws.String("www.example.com")})
		must(t, err)
		if m.Address.PtrRecordUpdate == nil || aws.ToString(m.Address.PtrRecordUpdate.Status) != "PENDING" {
			t.Errorf("ModifyAddressAttribute: %+v", m.Address)
		}
		attr, err = e.DescribeAddressesAttribute(ctx, &ec2.DescribeAddressesAttributeInput{AllocationIds: []string{id}, Attribute: ec2types.AddressAttributeNameDomainName})
		must(t, err)
		if aws.ToString(attr.Addresses[0].PtrRecord) != "www.example.com." {
			t.Errorf("PTR record: %+v", attr.Addresses[0])
		}
		_, err = e.ResetAddressAttribute(ctx, &ec2.ResetAddressAttributeInput{AllocationId: &id, Attribute: ec2types.AddressAttributeNameDomainName})
		must(t, err)
		_, err = e.DescribeAddressesAttribute(ctx, &ec2.DescribeAddressesAttributeInput{AllocationIds: []string{"eipalloc-0123456789abcdef0"}})
		if apiCode(err) != "InvalidAllocationID.NotFound" {
			t.Errorf("unknown allocation: %v", err)
		}
		_, err = e.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: &id})
		must(t, err)
	})

	t.Run("aws_vpc before provider v5: ClassicLink attributes", func(t *testing.T) {
		c, err := e.DescribeVpcClassicLink(ctx, &ec2.DescribeVpcClassicLinkInput{VpcIds: []string{vpc}})
		must(t, err)
		if len(c.Vpcs) != 1 || aws.ToBool(c.Vpcs[0].ClassicLinkEnabled) {
			t.Errorf("DescribeVpcClassicLink: %+v", c.Vpcs)
		}
		d, err := e.DescribeVpcClassicLinkDnsSupport(ctx, &ec2.DescribeVpcClassicLinkDnsSupportInput{VpcIds: []string{vpc}})
		must(t, err)
		if len(d.Vpcs) != 1 || aws.ToBool(d.Vpcs[0].ClassicLinkDnsSupported) {
			t.Errorf("DescribeVpcClassicLinkDnsSupport: %+v", d.Vpcs)
		}
		if _, err = e.EnableVpcClassicLink(ctx, &ec2.EnableVpcClassicLinkInput{VpcId: &vpc}); apiCode(err) != "UnsupportedOperation" {
			t.Errorf("EnableVpcClassicLink: %v", err)
		}
	})

	t.Run("aws_vpn_gateway_route_propagation", func(t *testing.T) {
		// No virtual private gateways exist in ecsnet: a propagation names one
		// that is not found.
		_, err := e.EnableVgwRoutePropagation(ctx, &ec2.EnableVgwRoutePropagationInput{RouteTableId: rts.RouteTables[0].RouteTableId, GatewayId: aws.String("vgw-0123456789abcdef0")})
		if apiCode(err) != "InvalidVpnGatewayID.NotFound" {
			t.Errorf("EnableVgwRoutePropagation: %v", err)
		}
		_, err = e.DisableVgwRoutePropagation(ctx, &ec2.DisableVgwRoutePropagationInput{RouteTableId: aws.String("rtb-0123456789abcdef0"), GatewayId: aws.String("vgw-0123456789abcdef0")})
		if apiCode(err) != "InvalidRouteTableID.NotFound" {
			t.Errorf("DisableVgwRoutePropagation on an unknown table: %v", err)
		}
	})

	t.Run("aws_default_vpc adoption", func(t *testing.T) {
		// aws_default_vpc finds the default VPC by isDefault; aws_default_subnet
		// by zone and defaultForAz; aws_default_security_group by name.
		d, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{filter("isDefault", "true")}})
		must(t, err)
		if len(d.Vpcs) != 1 || aws.ToString(d.Vpcs[0].CidrBlock) != "172.31.0.0/16" {
			t.Fatalf("default VPC: %+v", d.Vpcs)
		}
		def := aws.ToString(d.Vpcs[0].VpcId)
		s, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{filter("availabilityZone", "us-east-1a"), filter("defaultForAz", "true")}})
		must(t, err)
		if len(s.Subnets) != 1 || !aws.ToBool(s.Subnets[0].MapPublicIpOnLaunch) {
			t.Errorf("default subnet: %+v", s.Subnets)
		}
		g, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{filter("group-name", "default"), filter("vpc-id", def)}})
		must(t, err)
		if len(g.SecurityGroups) != 1 {
			t.Fatalf("default group: %+v", g.SecurityGroups)
		}
		// The group's rules, as the provider revokes and re-authorizes them.
		r, err := e.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []ec2types.Filter{filter("group-id", aws.ToString(g.SecurityGroups[0].GroupId))}})
		must(t, err)
		if len(r.SecurityGroupRules) != 2 {
			t.Errorf("default group rules: %+v", r.SecurityGroupRules)
		}
	})
}
