package server_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// TestELBv2DefaultRuleModifyDelete: the default rule DescribeRules lists
// changes only with ModifyListener. ModifyRule of it is AWS's
// OperationNotPermitted "Default rule '<arn>' cannot be modified"
// (FeLvi-zzz/tentez#32), DeleteRule "You can't delete the default rule"
// (DeleteRule reference; OperationNotPermitted, the text ModifyRule's
// form). ecsnet answered both with RuleNotFound "One or more rules not
// found", as if the ARN DescribeRules gave did not exist.
func TestELBv2DefaultRuleModifyDelete(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	ctx := context.Background()
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i+1)), AvailabilityZone: aws.String(az)})
		if err != nil {
			t.Fatal(err)
		}
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("rules"), Subnets: subnets, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: vpc.Vpc.VpcId})
	if err != nil {
		t.Fatal(err)
	}
	fwd := []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroups[0].TargetGroupArn}}
	l, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), DefaultActions: fwd})
	if err != nil {
		t.Fatal(err)
	}
	rules, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: l.Listeners[0].ListenerArn})
	if err != nil || len(rules.Rules) != 1 || !aws.ToBool(rules.Rules[0].IsDefault) {
		t.Fatalf("DescribeRules: %v %v", rules, err)
	}
	arn := aws.ToString(rules.Rules[0].RuleArn)
	_, err = c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: aws.String(arn), Actions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse,
		FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("404")}}}})
	var ae smithy.APIError
	if want := "Default rule '" + arn + "' cannot be modified"; !errors.As(err, &ae) || ae.ErrorCode() != "OperationNotPermitted" || ae.ErrorMessage() != want {
		t.Errorf("ModifyRule of the default rule: %v, want OperationNotPermitted %q", err, want)
	}
	_, err = c.elb.DeleteRule(ctx, &elbv2.DeleteRuleInput{RuleArn: aws.String(arn)})
	if want := "Default rule '" + arn + "' cannot be deleted"; !errors.As(err, &ae) || ae.ErrorCode() != "OperationNotPermitted" || ae.ErrorMessage() != want {
		t.Errorf("DeleteRule of the default rule: %v, want OperationNotPermitted %q", err, want)
	}
	after, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: l.Listeners[0].ListenerArn})
	if err != nil || len(after.Rules) != 1 || after.Rules[0].Actions[0].Type != elbtypes.ActionTypeEnumForward {
		t.Errorf("the default rule after the refused calls: %+v %v", after, err)
	}
	// A rule that is not there is still RuleNotFound.
	other := arn[:len(arn)-1] + "0"
	if other == arn {
		other = arn[:len(arn)-1] + "1"
	}
	_, err = c.elb.DeleteRule(ctx, &elbv2.DeleteRuleInput{RuleArn: aws.String(other)})
	if !errors.As(err, &ae) || ae.ErrorCode() != "RuleNotFound" {
		t.Errorf("DeleteRule of no rule: %v, want RuleNotFound", err)
	}
}
