package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// An alb-type target group created without health check settings checks
// its Application Load Balancer over HTTP (GET / on the traffic port, 6 s,
// 200-399), not TCP as the group's protocol would have it: the aws CLI's
// create-target-group example 4, through the AWS SDK for Go v2.
func TestALBTargetGroupDefaultHealthCheck(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	tg, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("my-alb-target"), Protocol: elbtypes.ProtocolEnumTcp, Port: aws.Int32(80),
		VpcId: v.Vpc.VpcId, TargetType: elbtypes.TargetTypeEnumAlb})
	must(t, err)
	d, err := c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{aws.ToString(tg.TargetGroups[0].TargetGroupArn)}})
	must(t, err)
	g := d.TargetGroups[0]
	if g.HealthCheckProtocol != elbtypes.ProtocolEnumHttp || aws.ToString(g.HealthCheckPort) != "traffic-port" || aws.ToString(g.HealthCheckPath) != "/" ||
		g.Matcher == nil || aws.ToString(g.Matcher.HttpCode) != "200-399" || aws.ToInt32(g.HealthCheckTimeoutSeconds) != 6 ||
		aws.ToInt32(g.HealthCheckIntervalSeconds) != 30 || aws.ToInt32(g.HealthyThresholdCount) != 5 || aws.ToInt32(g.UnhealthyThresholdCount) != 2 {
		t.Errorf("health check %s %s %s %v timeout %d interval %d thresholds %d/%d, want HTTP traffic-port / 200-399 6 30 5/2",
			g.HealthCheckProtocol, aws.ToString(g.HealthCheckPort), aws.ToString(g.HealthCheckPath), g.Matcher,
			aws.ToInt32(g.HealthCheckTimeoutSeconds), aws.ToInt32(g.HealthCheckIntervalSeconds), aws.ToInt32(g.HealthyThresholdCount), aws.ToInt32(g.UnhealthyThresholdCount))
	}
}
