package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestModifySecurityGroupRuleAllProtocolsPorts: an all-protocols rule
// takes no port range in ModifySecurityGroupRules. Authorizing one with
// ports 0-0 is accepted and described as -1/-1, so Terraform's second plan
// of an aws_vpc_security_group_egress_rule { ip_protocol = "-1",
// from_port = 0, to_port = 0 } updates it in place, and EC2 refuses the
// update (InvalidParameterValue); ecsnet applied it.
func TestModifySecurityGroupRuleAllProtocolsPorts(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("192.168.1.0/25")})
	must(t, err)
	g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("allow_tls"), Description: aws.String("d"), VpcId: v.Vpc.VpcId})
	must(t, err)
	a, err := e.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: g.GroupId, IpPermissions: []ec2types.IpPermission{{
		IpProtocol: aws.String("-1"), FromPort: aws.Int32(0), ToPort: aws.Int32(0), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("192.168.1.0/25")}}}}})
	must(t, err)
	rule := a.SecurityGroupRules[0]
	if aws.ToInt32(rule.FromPort) != -1 || aws.ToInt32(rule.ToPort) != -1 {
		t.Errorf("authorized all-protocols rule ports %d-%d, want -1/-1", aws.ToInt32(rule.FromPort), aws.ToInt32(rule.ToPort))
	}
	modify := func(r ec2types.SecurityGroupRuleRequest) error {
		_, err := e.ModifySecurityGroupRules(ctx, &ec2.ModifySecurityGroupRulesInput{GroupId: g.GroupId,
			SecurityGroupRules: []ec2types.SecurityGroupRuleUpdate{{SecurityGroupRuleId: rule.SecurityGroupRuleId, SecurityGroupRule: &r}}})
		return err
	}
	wantAPIError(t, modify(ec2types.SecurityGroupRuleRequest{IpProtocol: aws.String("-1"), FromPort: aws.Int32(0), ToPort: aws.Int32(0), CidrIpv4: aws.String("192.168.1.0/25")}),
		"InvalidParameterValue", "You may not specify all protocols and specific ports. Please specify each protocol and port range combination individually, or all protocols and no port range.")
	must(t, modify(ec2types.SecurityGroupRuleRequest{IpProtocol: aws.String("-1"), CidrIpv4: aws.String("10.0.0.0/8")}))
	must(t, modify(ec2types.SecurityGroupRuleRequest{IpProtocol: aws.String("-1"), FromPort: aws.Int32(-1), ToPort: aws.Int32(-1), CidrIpv4: aws.String("10.0.0.0/8")}))
}
