package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// A Network or Gateway Load Balancer's target group (TCP, TLS, UDP, TCP_UDP,
// GENEVE) takes a health check timeout up to its interval, not beyond it:
// CreateTargetGroup and ModifyTargetGroup refuse a longer timeout with
// "Health check timeout 'T' must be smaller than or equal to the interval
// 'I'", whatever the check's protocol, and accept one equal to the
// interval; an HTTP or HTTPS group still needs the timeout below it.
func TestNLBTargetGroupHealthCheckTimeoutUpToInterval(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	ctx := context.Background()
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	create := func(name string, proto elbtypes.ProtocolEnum, hc elbtypes.ProtocolEnum, interval, timeout int32) (*elbv2.CreateTargetGroupOutput, error) {
		in := &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: proto, Port: aws.Int32(80), VpcId: vpc.Vpc.VpcId,
			HealthCheckProtocol: hc, HealthyThresholdCount: aws.Int32(5), UnhealthyThresholdCount: aws.Int32(2)}
		if hc == elbtypes.ProtocolEnumHttp {
			in.HealthCheckPath = aws.String("/")
		}
		if interval != 0 {
			in.HealthCheckIntervalSeconds = aws.Int32(interval)
		}
		if timeout != 0 {
			in.HealthCheckTimeoutSeconds = aws.Int32(timeout)
		}
		return c.elb.CreateTargetGroup(ctx, in)
	}
	refused := func(what string, err error, want string) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != want {
			t.Errorf("%s: got %v, want ValidationError %q", what, err, want)
		}
	}

	for _, p := range []elbtypes.ProtocolEnum{elbtypes.ProtocolEnumTcp, elbtypes.ProtocolEnumTls, elbtypes.ProtocolEnumUdp, elbtypes.ProtocolEnumTcpUdp} {
		hcProto := elbtypes.ProtocolEnumHttp
		if p == elbtypes.ProtocolEnumUdp || p == elbtypes.ProtocolEnumTcpUdp {
			hcProto = elbtypes.ProtocolEnumTcp
		}
		_, err := create("nlb", p, hcProto, 5, 6)
		refused(string(p)+" 5/6", err, "Health check timeout '6' must be smaller than or equal to the interval '5'")
		out, err := create("nlb", p, hcProto, 5, 5)
		if err != nil {
			t.Fatalf("%s 5/5: %v", p, err)
		}
		g := out.TargetGroups[0]
		if aws.ToInt32(g.HealthCheckIntervalSeconds) != 5 || aws.ToInt32(g.HealthCheckTimeoutSeconds) != 5 {
			t.Errorf("%s 5/5: answered interval %d timeout %d", p, aws.ToInt32(g.HealthCheckIntervalSeconds), aws.ToInt32(g.HealthCheckTimeoutSeconds))
		}
		if _, err := c.elb.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: g.TargetGroupArn}); err != nil {
			t.Fatal(err)
		}
	}

	// The TCP check's default timeout (10 s) at an interval of 10 s is
	// accepted; a 20 s timeout at the default interval (30 s) too.
	if _, err := create("tcp-10", elbtypes.ProtocolEnumTcp, "", 10, 0); err != nil {
		t.Errorf("TCP interval 10, default timeout 10: %v", err)
	}
	tcp, err := create("tcp-20", elbtypes.ProtocolEnumTcp, "", 0, 20)
	if err != nil {
		t.Fatalf("TCP timeout 20, default interval 30: %v", err)
	}
	arn := tcp.TargetGroups[0].TargetGroupArn
	_, err = c.elb.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: arn, HealthCheckIntervalSeconds: aws.Int32(10)})
	refused("ModifyTargetGroup interval 10 under timeout 20", err, "Health check timeout '20' must be smaller than or equal to the interval '10'")
	mod, err := c.elb.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: arn, HealthCheckIntervalSeconds: aws.Int32(20)})
	if err != nil {
		t.Fatalf("ModifyTargetGroup interval 20 = timeout 20: %v", err)
	}
	if g := mod.TargetGroups[0]; aws.ToInt32(g.HealthCheckIntervalSeconds) != 20 || aws.ToInt32(g.HealthCheckTimeoutSeconds) != 20 {
		t.Errorf("after ModifyTargetGroup: interval %d timeout %d", aws.ToInt32(g.HealthCheckIntervalSeconds), aws.ToInt32(g.HealthCheckTimeoutSeconds))
	}

	// HTTP and HTTPS groups still need the timeout below the interval.
	for _, p := range []elbtypes.ProtocolEnum{elbtypes.ProtocolEnumHttp, elbtypes.ProtocolEnumHttps} {
		_, err := create("alb", p, elbtypes.ProtocolEnumHttp, 5, 5)
		refused(string(p)+" 5/5", err, "Health check timeout '5' must be smaller than the interval '5'")
		_, err = create("alb", p, elbtypes.ProtocolEnumHttp, 5, 6)
		refused(string(p)+" 5/6", err, "Health check timeout '6' must be smaller than the interval '5'")
	}
}

// A forward action naming a well-formed ARN of no target group is refused
// with TargetGroupNotFound "Target groups '<arn>' not found", the ARN named
// (CreateListener, CreateRule, ModifyListener alike); a malformed one is a
// ValidationError; DescribeTargetGroups of such an ARN keeps "One or more
// target groups not found".
func TestForwardToUnknownTargetGroupNamed(t *testing.T) {
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	tg := albTargetGroup(t, es, "web")
	gone := strings.Replace(tg, "/web/", "/gone/", 1)
	lbs, err := c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{Names: []string{"web"}})
	must(t, err)
	lb := lbs.LoadBalancers[0].LoadBalancerArn
	ls, err := c.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: lb})
	must(t, err)
	listener := ls.Listeners[0].ListenerArn
	want := func(what string, err error, code, msg string) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != code || ae.ErrorMessage() != msg {
			t.Errorf("%s: got %v, want %s %q", what, err, code, msg)
		}
	}
	forward := func(arn string) []elbtypes.Action {
		return []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(arn)}}
	}
	notFound := "Target groups '" + gone + "' not found"

	_, err = c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb, Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(8080), DefaultActions: forward(gone)})
	want("CreateListener", err, "TargetGroupNotFound", notFound)
	_, err = c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb, Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(8080), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, ForwardConfig: &elbtypes.ForwardActionConfig{
			TargetGroups: []elbtypes.TargetGroupTuple{{TargetGroupArn: aws.String(gone), Weight: aws.Int32(100)}}}}}})
	want("CreateListener, ForwardConfig", err, "TargetGroupNotFound", notFound)
	_, err = c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: listener, Priority: aws.Int32(10), Actions: forward(gone),
		Conditions: []elbtypes.RuleCondition{{Field: aws.String("path-pattern"), PathPatternConfig: &elbtypes.PathPatternConditionConfig{Values: []string{"/x"}}}}})
	want("CreateRule", err, "TargetGroupNotFound", notFound)
	_, err = c.elb.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: listener, DefaultActions: forward(gone)})
	want("ModifyListener", err, "TargetGroupNotFound", notFound)
	_, err = c.elb.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: listener, DefaultActions: forward("unknown")})
	want("ModifyListener, malformed", err, "ValidationError", "'unknown' is not a valid target group ARN")
	_, err = c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{gone}})
	want("DescribeTargetGroups", err, "TargetGroupNotFound", "One or more target groups not found")
}
