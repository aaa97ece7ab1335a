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

// CreateTargetGroup and ModifyTargetGroup word a health check whose
// interval is not above its timeout two ways, as AWS does: a request giving
// both is told "Health check timeout 'T' must be smaller than the interval
// 'I'", an interval given alone "Health check interval must be greater than
// the timeout."; Lambda target groups are checked too (defaults 35 s /
// 30 s). A Lambda target group refuses a port, a protocol and a VPC instead
// of ignoring them.
func TestTargetGroupHealthCheckAndLambdaValidation(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	ctx := context.Background()
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	refused := func(name string, err error, want string) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != want {
			t.Errorf("%s: got %v, want ValidationError %q", name, err, want)
		}
	}
	lambda := func(mod func(*elbv2.CreateTargetGroupInput)) error {
		in := &elbv2.CreateTargetGroupInput{Name: aws.String("fn"), TargetType: elbtypes.TargetTypeEnumLambda}
		mod(in)
		_, err := c.elb.CreateTargetGroup(ctx, in)
		return err
	}

	refused("lambda 5/5", lambda(func(in *elbv2.CreateTargetGroupInput) {
		in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds = aws.Int32(5), aws.Int32(5)
	}), "Health check timeout '5' must be smaller than the interval '5'")
	refused("lambda 5/6", lambda(func(in *elbv2.CreateTargetGroupInput) {
		in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds = aws.Int32(5), aws.Int32(6)
	}), "Health check timeout '6' must be smaller than the interval '5'")
	refused("lambda interval 30, default timeout 30", lambda(func(in *elbv2.CreateTargetGroupInput) {
		in.HealthCheckIntervalSeconds = aws.Int32(30)
	}), "Health check interval must be greater than the timeout.")
	refused("lambda port", lambda(func(in *elbv2.CreateTargetGroupInput) { in.Port = aws.Int32(8080) }),
		"Port cannot be specified for target groups with target type 'lambda'")
	refused("lambda port, protocol and VPC", lambda(func(in *elbv2.CreateTargetGroupInput) {
		in.Port, in.Protocol, in.VpcId = aws.Int32(80), elbtypes.ProtocolEnumHttp, vpc.Vpc.VpcId
	}), "Port cannot be specified for target groups with target type 'lambda'")
	refused("lambda VPC", lambda(func(in *elbv2.CreateTargetGroupInput) { in.VpcId = aws.String("non-existing") }),
		"VPC ID cannot be specified for target groups with target type 'lambda'")
	refused("lambda protocol", lambda(func(in *elbv2.CreateTargetGroupInput) { in.Protocol = elbtypes.ProtocolEnumHttp }),
		"Protocol cannot be specified for target groups with target type 'lambda'")

	// Valid Lambda target group: interval above the timeout, nothing else.
	fn, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("fn"), TargetType: elbtypes.TargetTypeEnumLambda,
		HealthCheckIntervalSeconds: aws.Int32(40)})
	if err != nil {
		t.Fatal(err)
	}
	if g := fn.TargetGroups[0]; aws.ToInt32(g.HealthCheckIntervalSeconds) != 40 || aws.ToInt32(g.HealthCheckTimeoutSeconds) != 30 || g.Port != nil || g.VpcId != nil {
		t.Errorf("lambda target group: interval %d timeout %d port %v vpc %v", aws.ToInt32(g.HealthCheckIntervalSeconds),
			aws.ToInt32(g.HealthCheckTimeoutSeconds), g.Port, g.VpcId)
	}

	// HTTP target group: both given equal, and ModifyTargetGroup to equal.
	_, err = c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: vpc.Vpc.VpcId, HealthCheckIntervalSeconds: aws.Int32(10), HealthCheckTimeoutSeconds: aws.Int32(10)})
	refused("HTTP 10/10", err, "Health check timeout '10' must be smaller than the interval '10'")
	web, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: vpc.Vpc.VpcId})
	if err != nil {
		t.Fatal(err)
	}
	arn := web.TargetGroups[0].TargetGroupArn
	_, err = c.elb.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: arn, HealthCheckTimeoutSeconds: aws.Int32(10),
		HealthCheckIntervalSeconds: aws.Int32(10)})
	refused("modify HTTP 10/10", err, "Health check timeout '10' must be smaller than the interval '10'")
	_, err = c.elb.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: arn, HealthCheckIntervalSeconds: aws.Int32(5)})
	refused("modify HTTP interval 5 at the default timeout 5", err, "Health check interval must be greater than the timeout.")
	got, err := c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{aws.ToString(arn)}})
	if err != nil {
		t.Fatal(err)
	}
	if g := got.TargetGroups[0]; aws.ToInt32(g.HealthCheckIntervalSeconds) != 30 || aws.ToInt32(g.HealthCheckTimeoutSeconds) != 5 {
		t.Errorf("a refused ModifyTargetGroup changed the check: interval %d timeout %d", aws.ToInt32(g.HealthCheckIntervalSeconds), aws.ToInt32(g.HealthCheckTimeoutSeconds))
	}
}
