package server_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// TestCircuitBreakerResetsOnHealthyTask checks, through the Go SDK, that
// the deployment circuit breaker counts consecutive failures: a Fargate
// service behind a target group whose tasks' security group first admits
// nothing has a task stopped for failing its health checks (failedTasks
// 1, under the threshold of 3); once the group admits the load balancer,
// the next task is healthy, failedTasks goes back to 0 and the deployment
// completes instead of failing.
func TestCircuitBreakerResetsOnHealthyTask(t *testing.T) {
	t.Parallel()
	start := time.Now()
	fast := engine.WithClock(func() time.Time { return start.Add(30 * time.Since(start)) })
	es := newEstateOn(t, newEmulator(t, nil, fast), "t3.micro", 0)
	c := es.c
	closed, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("later"), Description: aws.String("later"), VpcId: &es.vpc})
	must(t, err)
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("svc"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	tg, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("svc"), Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(3000), VpcId: &es.vpc, TargetType: elbtypes.TargetTypeEnumIp,
		HealthCheckIntervalSeconds: aws.Int32(5), HealthCheckTimeoutSeconds: aws.Int32(2), UnhealthyThresholdCount: aws.Int32(2)})
	must(t, err)
	tgARN := aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	_, err = c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &tgARN}}})
	must(t, err)
	es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
	net := es.awsvpc(aws.ToString(closed.GroupId))
	net.AwsvpcConfiguration.AssignPublicIp = ecstypes.AssignPublicIpEnabled
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: net, HealthCheckGracePeriodSeconds: aws.Int32(60),
		LoadBalancers: []ecstypes.LoadBalancer{{TargetGroupArn: &tgARN, ContainerName: aws.String("web"), ContainerPort: aws.Int32(3000)}},
		DeploymentConfiguration: &ecstypes.DeploymentConfiguration{
			DeploymentCircuitBreaker: &ecstypes.DeploymentCircuitBreaker{Enable: true, Rollback: false}}})
	must(t, err)
	deployment := func() ecstypes.Deployment {
		out, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"web"}})
		must(t, err)
		return out.Services[0].Deployments[0]
	}
	deadline := time.Now().Add(patience)
	for deployment().FailedTasks == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no task failed its health checks")
		}
		time.Sleep(10 * time.Millisecond)
	}
	_, err = c.ec2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: closed.GroupId,
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(3000), ToPort: aws.Int32(3000),
			UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(es.open)}}}}})
	must(t, err)
	if d := deployment(); d.FailedTasks >= 3 || d.RolloutState == ecstypes.DeploymentRolloutStateFailed {
		t.Fatalf("the breaker tripped before the group was opened: %+v", d)
	}
	deadline = time.Now().Add(patience)
	for d := deployment(); d.RolloutState != ecstypes.DeploymentRolloutStateCompleted; d = deployment() {
		if time.Now().After(deadline) || d.RolloutState == ecstypes.DeploymentRolloutStateFailed {
			t.Fatalf("the deployment did not complete: %+v", d)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := deployment().FailedTasks; n != 0 {
		t.Errorf("failedTasks %d once a task is healthy, want 0", n)
	}
}
