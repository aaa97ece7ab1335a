package server_test

import (
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// IPv6 in the model: an Amazon-provided /56, dual-stack and IPv6-only
// subnets, IPv6 security group rules and network ACL entries.
func TestIPv6Model(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	vpc := aws.ToString(v.Vpc.VpcId)
	if len(v.Vpc.Ipv6CidrBlockAssociationSet) != 1 {
		t.Fatalf("IPv6 blocks: %+v", v.Vpc.Ipv6CidrBlockAssociationSet)
	}
	block := netip.MustParsePrefix(aws.ToString(v.Vpc.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock))
	if block.Bits() != 56 || !netip.MustParsePrefix("2600:1f18::/32").Contains(block.Addr()) || aws.ToString(v.Vpc.Ipv6CidrBlockAssociationSet[0].Ipv6Pool) != "Amazon" {
		t.Errorf("the VPC's IPv6 block is %s", block)
	}
	sub64 := func(n byte) string {
		b := block.Addr().As16()
		b[7] = n
		return netip.PrefixFrom(netip.AddrFrom16(b), 64).String()
	}
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.1.0/24"), Ipv6CidrBlock: aws.String(sub64(1))})
	must(t, err)
	if len(s.Subnet.Ipv6CidrBlockAssociationSet) != 1 || aws.ToString(s.Subnet.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock) != sub64(1) {
		t.Errorf("dual-stack subnet: %+v", s.Subnet.Ipv6CidrBlockAssociationSet)
	}
	_, err = e.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: s.Subnet.SubnetId, AssignIpv6AddressOnCreation: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	only, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, Ipv6Native: aws.Bool(true), Ipv6CidrBlock: aws.String(sub64(2))})
	must(t, err)
	if !aws.ToBool(only.Subnet.Ipv6Native) || only.Subnet.CidrBlock != nil {
		t.Errorf("IPv6-only subnet: native %v, IPv4 %v", aws.ToBool(only.Subnet.Ipv6Native), aws.ToString(only.Subnet.CidrBlock))
	}
	_, err = e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.2.0/24"), Ipv6CidrBlock: aws.String(sub64(1))})
	if err == nil {
		t.Error("a second subnet got the same /64")
	}
	other, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.3.0/24")})
	must(t, err)
	a, err := e.AssociateSubnetCidrBlock(ctx, &ec2.AssociateSubnetCidrBlockInput{SubnetId: other.Subnet.SubnetId, Ipv6CidrBlock: aws.String(sub64(3))})
	must(t, err)
	_, err = e.DisassociateSubnetCidrBlock(ctx, &ec2.DisassociateSubnetCidrBlockInput{AssociationId: a.Ipv6CidrBlockAssociation.AssociationId})
	must(t, err)

	g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: &vpc, GroupName: aws.String("web"), Description: aws.String("web")})
	must(t, err)
	_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: []ec2types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), Ipv6Ranges: []ec2types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}}}})
	must(t, err)
	d, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{aws.ToString(g.GroupId)}})
	must(t, err)
	if p := d.SecurityGroups[0].IpPermissions; len(p) != 1 || len(p[0].Ipv6Ranges) != 1 || aws.ToString(p[0].Ipv6Ranges[0].CidrIpv6) != "::/0" {
		t.Errorf("IPv6 rule: %+v", p)
	}
	acls, err := e.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{filter("vpc-id", vpc), filter("default", "true")}})
	must(t, err)
	v6 := 0
	for _, x := range acls.NetworkAcls[0].Entries {
		if aws.ToString(x.Ipv6CidrBlock) == "::/0" {
			v6++
		}
	}
	if v6 != 4 {
		t.Errorf("the default network ACL of a dual-stack VPC has %d IPv6 entries, want 4", v6)
	}
	_, err = e.CreateNetworkAclEntry(ctx, &ec2.CreateNetworkAclEntryInput{NetworkAclId: acls.NetworkAcls[0].NetworkAclId, RuleNumber: aws.Int32(50), Egress: aws.Bool(false),
		Protocol: aws.String("6"), RuleAction: ec2types.RuleActionDeny, Ipv6CidrBlock: aws.String("2001:db8::/32"), PortRange: &ec2types.PortRange{From: aws.Int32(22), To: aws.Int32(22)}})
	must(t, err)
	rts, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("vpc-id", vpc)}})
	must(t, err)
	local6 := false
	for _, r := range rts.RouteTables[0].Routes {
		local6 = local6 || (aws.ToString(r.DestinationIpv6CidrBlock) == block.String() && aws.ToString(r.GatewayId) == "local")
	}
	if !local6 {
		t.Errorf("no local IPv6 route: %+v", rts.RouteTables[0].Routes)
	}
}

// DescribeVpcs filters on the state and pool of IPv6 block associations
// (ipv6-cidr-block-association.state, .ipv6-pool): a VPC without IPv6
// blocks matches neither.
func TestDescribeVpcsIPv6AssociationFilters(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v4, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	v6, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	for _, f := range []ec2types.Filter{filter("ipv6-cidr-block-association.state", "associated"), filter("ipv6-cidr-block-association.ipv6-pool", "Amazon")} {
		d, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{f}})
		must(t, err)
		var ids []string
		for _, v := range d.Vpcs {
			ids = append(ids, aws.ToString(v.VpcId))
		}
		if len(ids) != 1 || ids[0] != aws.ToString(v6.Vpc.VpcId) {
			t.Errorf("%s=%v: %v, want only %s (not %s)", aws.ToString(f.Name), f.Values, ids, aws.ToString(v6.Vpc.VpcId), aws.ToString(v4.Vpc.VpcId))
		}
	}
}
