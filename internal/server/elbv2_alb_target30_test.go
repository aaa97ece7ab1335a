package server_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// An Application Load Balancer registered in an NLB's alb-type target
// group, through the AWS SDK for Go v2: it must have a listener on the
// target's port (AWS's text, aws/aws-cdk#19696), be an ALB of the target
// group's VPC, and be the group's only one (NLB User Guide, "Use an
// Application Load Balancer as a target of a Network Load Balancer").
func TestALBTargetOfNLB(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	e, lbc := c.ec2, c.elb
	newVPC := func(cidr string, subnets ...string) (string, []string) {
		v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
		must(t, err)
		vpc := aws.ToString(v.Vpc.VpcId)
		var out []string
		for i, s := range subnets {
			sn, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String(s), AvailabilityZone: aws.String([]string{"us-east-1a", "us-east-1b"}[i])})
			must(t, err)
			out = append(out, aws.ToString(sn.Subnet.SubnetId))
		}
		return vpc, out
	}
	vpc, subnets := newVPC("10.0.0.0/16", "10.0.1.0/24", "10.0.2.0/24")
	_, otherSubnets := newVPC("10.9.0.0/16", "10.9.1.0/24", "10.9.2.0/24")
	newALB := func(name string, subnets []string) string {
		lb, err := lbc.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String(name), Subnets: subnets, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
		must(t, err)
		return aws.ToString(lb.LoadBalancers[0].LoadBalancerArn)
	}
	alb, alb2, far := newALB("api-alb", subnets), newALB("api-alb-2", subnets), newALB("far-alb", otherSubnets)
	for _, arn := range []string{alb, alb2} {
		fr := &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("200")}
		_, err := lbc.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(arn), Port: aws.Int32(80), Protocol: elbtypes.ProtocolEnumHttp,
			DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse, FixedResponseConfig: fr}}})
		must(t, err)
	}
	tg, err := lbc.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("api-alb-tg"), Protocol: elbtypes.ProtocolEnumTcp, Port: aws.Int32(443),
		VpcId: &vpc, TargetType: elbtypes.TargetTypeEnumAlb})
	must(t, err)
	tgARN := tg.TargetGroups[0].TargetGroupArn
	register := func(arn string, port int32) error {
		d := elbtypes.TargetDescription{Id: aws.String(arn)}
		if port != 0 {
			d.Port = aws.Int32(port)
		}
		_, err := lbc.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tgARN, Targets: []elbtypes.TargetDescription{d}})
		return err
	}
	refused := func(err error, code, text string) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), text) {
			t.Errorf("got %v, want %s: %s", err, code, text)
		}
	}
	// The group's port, 443: the ALB listens on 80 only.
	refused(register(alb, 0), "ValidationError", "If the target type is ALB, the target must have at least one listener that matches the target group port or any specified port overrides")
	refused(register(far, 80), "InvalidTarget", "not in the target group VPC '"+vpc+"'")
	refused(register(strings.Replace(alb, "api-alb", "gone-alb", 1), 80), "InvalidTarget", "not valid Application Load Balancers")
	// A port override of a listener it has is accepted.
	must(t, register(alb, 80))
	h, err := lbc.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: tgARN})
	must(t, err)
	if len(h.TargetHealthDescriptions) != 1 || aws.ToString(h.TargetHealthDescriptions[0].Target.Id) != alb || aws.ToInt32(h.TargetHealthDescriptions[0].Target.Port) != 80 {
		t.Errorf("targets %+v", h.TargetHealthDescriptions)
	}
	// A second ALB in the same group is refused; the first again is not.
	refused(register(alb2, 80), "ValidationError", "only one Application Load Balancer per target group")
	must(t, register(alb, 80))
}
