package server_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// An HTTP listener (or a rule of one) cannot forward to a target group of
// protocol version GRPC, through the AWS SDK for Go v2: ELB answers
// InvalidLoadBalancerAction "Listener protocol 'HTTP' is not supported
// with a target group with the protocol-version 'GRPC'"
// (kubernetes-sigs/aws-load-balancer-controller#2214), and creates
// nothing; an HTTP1 group is accepted.
func TestGRPCTargetGroupNeedsHTTPSListener(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	e, lbc := c.ec2, c.elb
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpc := aws.ToString(v.Vpc.VpcId)
	igw, err := e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)
	_, err = e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: &vpc})
	must(t, err)
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0." + string(rune('1'+i)) + ".0/24"), AvailabilityZone: aws.String(az)})
		must(t, err)
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	lb, err := lbc.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("grpc-alb"), Subnets: subnets})
	must(t, err)
	lbARN := lb.LoadBalancers[0].LoadBalancerArn
	newTG := func(name string, version string) *string {
		out, err := lbc.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(50051),
			VpcId: &vpc, TargetType: elbtypes.TargetTypeEnumIp, ProtocolVersion: aws.String(version)})
		must(t, err)
		return out.TargetGroups[0].TargetGroupArn
	}
	grpc, http1 := newTG("greeter-grpc", "GRPC"), newTG("greeter-http1", "HTTP1")
	forward := func(tg *string) []elbtypes.Action {
		return []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tg}}
	}
	const want = "Listener protocol 'HTTP' is not supported with a target group with the protocol-version 'GRPC'"
	refused := func(what string, err error) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidLoadBalancerAction" || ae.ErrorMessage() != want {
			t.Errorf("%s: %v; want InvalidLoadBalancerAction: %s", what, err, want)
		}
	}
	_, err = lbc.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lbARN, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), DefaultActions: forward(grpc)})
	refused("CreateListener HTTP → GRPC", err)
	ls, err := lbc.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: lbARN})
	must(t, err)
	if len(ls.Listeners) != 0 {
		t.Errorf("the refused listener exists: %+v", ls.Listeners)
	}
	l, err := lbc.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lbARN, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), DefaultActions: forward(http1)})
	must(t, err)
	_, err = lbc.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: l.Listeners[0].ListenerArn, Priority: aws.Int32(10), Actions: forward(grpc),
		Conditions: []elbtypes.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/helloworld.Greeter/*"}}}})
	refused("CreateRule on an HTTP listener → GRPC", err)
}
