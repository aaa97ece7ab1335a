package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Behaviours moto's tests verified against AWS (docs/moto-differences.md,
// "Tests moto verified against AWS"), through the Go SDK.

// A new security group in a VPC with an IPv6 block lets all IPv4 and all
// IPv6 traffic out: one permission with 0.0.0.0/0 and ::/0
// (test_create_two_security_groups_in_vpc_with_ipv6_enabled).
func TestVerifiedSecurityGroupIPv6Egress(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	v6, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	v4, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	must(t, err)
	for _, c := range []struct {
		vpc  *string
		ipv6 bool
	}{{v6.Vpc.VpcId, true}, {v4.Vpc.VpcId, false}} {
		g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("g"), Description: aws.String("d"), VpcId: c.vpc})
		must(t, err)
		d, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{aws.ToString(g.GroupId)}})
		must(t, err)
		out := d.SecurityGroups[0].IpPermissionsEgress
		if len(out) != 1 || len(out[0].IpRanges) != 1 || aws.ToString(out[0].IpRanges[0].CidrIp) != "0.0.0.0/0" {
			t.Fatalf("egress of a new group: %+v", out)
		}
		got := len(out[0].Ipv6Ranges) == 1 && aws.ToString(out[0].Ipv6Ranges[0].CidrIpv6) == "::/0"
		if got != c.ipv6 || (!c.ipv6 && len(out[0].Ipv6Ranges) != 0) {
			t.Errorf("VPC with IPv6 %v: Ipv6Ranges %+v", c.ipv6, out[0].Ipv6Ranges)
		}
	}
}

// ModifySecurityGroupRules answers its own texts for a rule without a
// protocol, ports or a peer, or with two peers (test_modify_security_group_rules).
func TestVerifiedModifySecurityGroupRulesErrors(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("g"), Description: aws.String("d"), VpcId: v.Vpc.VpcId})
	must(t, err)
	a, err := e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: []ec2types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(30900), ToPort: aws.Int32(31000), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("1.2.3.4/32")}}}}})
	must(t, err)
	rule := a.SecurityGroupRules[0].SecurityGroupRuleId
	modify := func(r ec2types.SecurityGroupRuleRequest) error {
		_, err := e.ModifySecurityGroupRules(ctx, &ec2.ModifySecurityGroupRulesInput{GroupId: g.GroupId,
			SecurityGroupRules: []ec2types.SecurityGroupRuleUpdate{{SecurityGroupRuleId: rule, SecurityGroupRule: &r}}})
		return err
	}
	wantAPIError(t, modify(ec2types.SecurityGroupRuleRequest{FromPort: aws.Int32(1), ToPort: aws.Int32(2), CidrIpv4: aws.String("2.3.4.5/32")}),
		"InvalidParameterValue", "Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly.")
	wantAPIError(t, modify(ec2types.SecurityGroupRuleRequest{IpProtocol: aws.String("udp"), ToPort: aws.Int32(2), CidrIpv4: aws.String("2.3.4.5/32")}),
		"InvalidParameterValue", "Invalid value for portRange. Must specify both from and to ports with TCP/UDP.")
	wantAPIError(t, modify(ec2types.SecurityGroupRuleRequest{IpProtocol: aws.String("udp"), FromPort: aws.Int32(1), ToPort: aws.Int32(2)}),
		"MissingParameter", "The request must contain exactly one of: cidrIp, cidrIpv6, prefixListId, or referencedGroupId")
	wantAPIError(t, modify(ec2types.SecurityGroupRuleRequest{IpProtocol: aws.String("udp"), FromPort: aws.Int32(1), ToPort: aws.Int32(2),
		CidrIpv4: aws.String("2.3.4.5/32"), CidrIpv6: aws.String("2001:db8::/32")}),
		"InvalidParameterCombination", "Only one of cidrIp, cidrIpv6, prefixListId, or referencedGroupId can be specified")
	// Nothing changed; a valid rule still goes through.
	must(t, modify(ec2types.SecurityGroupRuleRequest{IpProtocol: aws.String("udp"), FromPort: aws.Int32(26000), ToPort: aws.Int32(26500), CidrIpv4: aws.String("2.3.4.5/32")}))
	d, err := e.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{aws.ToString(rule)}})
	must(t, err)
	if r := d.SecurityGroupRules[0]; aws.ToString(r.IpProtocol) != "udp" || aws.ToInt32(r.FromPort) != 26000 || aws.ToString(r.CidrIpv4) != "2.3.4.5/32" {
		t.Errorf("modified rule: %+v", r)
	}
}

// CreateSubnet with Ipv6Native asks for the IPv6 block first, refuses an
// IPv4 block beside it, takes any /44 to /64 of the VPC's block (the whole
// /56 too) and answers the subnet available (test_create_ipv6native_subnet*).
func TestVerifiedIPv6NativeSubnet(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	_, err = e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, Ipv6Native: aws.Bool(true)})
	wantAPIError(t, err, "MissingParameter", "Either 'ipv6CidrBlock' or 'ipv6IpamPoolId' should be provided.")
	_, err = e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, Ipv6Native: aws.Bool(true), CidrBlock: aws.String("10.0.0.0/24")})
	wantAPIError(t, err, "MissingParameter", "Either 'ipv6CidrBlock' or 'ipv6IpamPoolId' should be provided.")
	_, err = e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, Ipv6Native: aws.Bool(true), CidrBlock: aws.String("10.0.0.0/24"),
		Ipv6CidrBlock: aws.String("1080::1:200C:417A/112")})
	wantAPIError(t, err, "InvalidParameterCombination", "When specifying ipv4 parameters, cidrBlock or ipv4IpamPoolId, you cannot set ipv6Native to true.")
	a, err := e.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: v.Vpc.VpcId, AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	block := aws.ToString(a.Ipv6CidrBlockAssociation.Ipv6CidrBlock)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, Ipv6Native: aws.Bool(true), Ipv6CidrBlock: &block})
	must(t, err)
	if s.Subnet.State != ec2types.SubnetStateAvailable || !aws.ToBool(s.Subnet.Ipv6Native) || !aws.ToBool(s.Subnet.AssignIpv6AddressOnCreation) ||
		len(s.Subnet.Ipv6CidrBlockAssociationSet) != 1 || aws.ToString(s.Subnet.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock) != block {
		t.Errorf("IPv6-only subnet on the VPC's whole /56: %+v", s.Subnet)
	}
	// A /60 is a valid size too, a /62 is not (steps of 4), and neither
	// fits beside the /56 subnet.
	_, err = e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, Ipv6Native: aws.Bool(true), Ipv6CidrBlock: aws.String(block[:len(block)-3] + "/62")})
	wantAPIError(t, err, "InvalidSubnet.Range", "The IPv6 CIDR '"+block[:len(block)-3]+"/62' is invalid.")
	_, err = e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, Ipv6Native: aws.Bool(true), Ipv6CidrBlock: aws.String(block[:len(block)-3] + "/60")})
	wantAPIError(t, err, "InvalidSubnet.Conflict", "The CIDR '"+block[:len(block)-3]+"/60' conflicts with another subnet")
}

// TestRevokeUnknownRuleInDefaultVPC, through the AWS SDK for Go v2: in a
// default VPC, revoking a rule the group does not have is no error, and
// the answer lists it under UnknownIpPermissions (the EC2 API reference:
// "For a default VPC, if the values you specify do not match the existing
// rule's values, no error is returned, and the output describes the
// security group rules that were not revoked"); a known rule in the same
// call is revoked. In another VPC it is InvalidPermission.NotFound, and
// nothing is revoked.
func TestRevokeUnknownRuleInDefaultVPC(t *testing.T) {
	t.Parallel()
	c := sdkClients(newAccount(t, nil).URL)
	def := defaultVpcOf(t, c.ec2)
	other, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	must(t, err)
	for _, vpc := range []*string{def.VpcId, other.Vpc.VpcId} {
		g, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("g"), Description: aws.String("g"), VpcId: vpc})
		must(t, err)
		https := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/8")}}}
		_, err = c.ec2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: []ec2types.IpPermission{https}})
		must(t, err)
		ssh := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}
		out, err := c.ec2.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: []ec2types.IpPermission{https, ssh}})
		left, derr := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{aws.ToString(g.GroupId)}})
		must(t, derr)
		if vpc == def.VpcId {
			must(t, err)
			if !aws.ToBool(out.Return) || len(out.UnknownIpPermissions) != 1 || aws.ToInt32(out.UnknownIpPermissions[0].FromPort) != 22 ||
				aws.ToString(out.UnknownIpPermissions[0].IpRanges[0].CidrIp) != "0.0.0.0/0" || len(out.RevokedSecurityGroupRules) != 1 {
				t.Errorf("default VPC: return %v, unknown %+v, revoked %d", aws.ToBool(out.Return), out.UnknownIpPermissions, len(out.RevokedSecurityGroupRules))
			}
			if n := len(left.SecurityGroups[0].IpPermissions); n != 0 {
				t.Errorf("default VPC: %d ingress permissions left, want the known rule revoked", n)
			}
			continue
		}
		wantCode(t, err, "InvalidPermission.NotFound")
		if n := len(left.SecurityGroups[0].IpPermissions); n != 1 {
			t.Errorf("another VPC: %d ingress permissions left after a refused revoke, want 1", n)
		}
	}
}
