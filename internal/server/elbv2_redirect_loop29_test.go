package server_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// A redirect must change the protocol, host, port or path of the URL it
// answers (RedirectActionConfig: "You must modify at least one of the
// following components to avoid a redirect loop"); one that changes none,
// or only the query, is InvalidLoadBalancerAction "The redirect
// configuration is not valid because it creates a loop."
// (kubernetes-sigs/aws-load-balancer-controller#487, #1752), whether a
// listener's default action or a rule's, created or modified.
func TestELBv2RedirectLoopRefused(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	ctx := context.Background()
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String([]string{"10.0.1.0/24", "10.0.2.0/24"}[i]), AvailabilityZone: aws.String(az)})
		must(t, err)
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	sg, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("alb"), Description: aws.String("alb"), VpcId: vpc.Vpc.VpcId})
	must(t, err)
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: subnets, SecurityGroups: []string{aws.ToString(sg.GroupId)},
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	lbARN := lb.LoadBalancers[0].LoadBalancerArn

	redirect := func(cfg elbtypes.RedirectActionConfig) []elbtypes.Action {
		cfg.StatusCode = elbtypes.RedirectActionStatusCodeEnumHttp301
		return []elbtypes.Action{{Type: elbtypes.ActionTypeEnumRedirect, RedirectConfig: &cfg}}
	}
	loops := func(what string, err error) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidLoadBalancerAction" || ae.ErrorMessage() != "The redirect configuration is not valid because it creates a loop." {
			t.Errorf("%s: got %v, want InvalidLoadBalancerAction (a loop)", what, err)
		}
	}
	listener := func(cfg elbtypes.RedirectActionConfig) (*elbv2.CreateListenerOutput, error) {
		return c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lbARN, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
			DefaultActions: redirect(cfg)})
	}
	_, err = listener(elbtypes.RedirectActionConfig{})
	loops("a redirect that changes nothing", err)
	_, err = listener(elbtypes.RedirectActionConfig{Protocol: aws.String("HTTP"), Port: aws.String("80"), Host: aws.String("#{host}"), Path: aws.String("/#{path}")})
	loops("a redirect to the listener's own protocol and port", err)
	_, err = listener(elbtypes.RedirectActionConfig{Protocol: aws.String("#{protocol}"), Query: aws.String("#{query}&v=2")})
	loops("a redirect that changes only the query", err)

	out, err := listener(elbtypes.RedirectActionConfig{Protocol: aws.String("HTTPS"), Port: aws.String("443")})
	must(t, err)
	httpListener := out.Listeners[0].ListenerArn
	_, err = c.elb.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: httpListener, DefaultActions: redirect(elbtypes.RedirectActionConfig{Port: aws.String("#{port}")})})
	loops("ModifyListener to a redirect that changes nothing", err)

	rule := func(priority int32, cfg elbtypes.RedirectActionConfig) (*elbv2.CreateRuleOutput, error) {
		return c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: httpListener, Priority: aws.Int32(priority), Actions: redirect(cfg),
			Conditions: []elbtypes.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/old/*"}}}})
	}
	_, err = rule(10, elbtypes.RedirectActionConfig{Host: aws.String("#{host}"), Path: aws.String("/#{path}"), Query: aws.String("#{query}")})
	loops("a rule's redirect that changes nothing", err)
	moved, err := rule(10, elbtypes.RedirectActionConfig{Path: aws.String("/new/#{path}")})
	must(t, err)
	_, err = rule(11, elbtypes.RedirectActionConfig{Host: aws.String("www.#{host}")})
	must(t, err)
	_, err = c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: moved.Rules[0].RuleArn, Actions: redirect(elbtypes.RedirectActionConfig{Port: aws.String("80")})})
	loops("ModifyRule to a redirect that changes nothing", err)
}
