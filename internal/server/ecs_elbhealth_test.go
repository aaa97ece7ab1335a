package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// TestServiceELBHealthReplacement checks ECS's use of a service's target
// group health through the Go SDK: two Fargate services behind one ALB
// target group (interval 5 s, two failed checks make a target unhealthy).
// The one whose tasks' security group admits the load balancer reaches
// a steady state; the one whose group admits nothing never does: after
// its health check grace period each task is stopped ("Task failed ELB
// health checks in (target-group ARN)", stop code
// ServiceSchedulerInitiated), the events say "(task ID) (port 3000) is
// unhealthy in (target-group ARN) due to (reason Request timed out)" and
// "has started 1 tasks", and the deployment circuit breaker fails the
// deployment after its threshold (3) of such tasks. The same services
// made by CloudFormation: the healthy one's stack completes, the other's
// fails as the breaker trips and rolls back.
func TestServiceELBHealthReplacement(t *testing.T) {
	t.Parallel()
	start := time.Now()
	fast := engine.WithClock(func() time.Time { return start.Add(30 * time.Since(start)) })
	em := newEmulator(t, nil, fast)
	es := newEstateOn(t, em, "t3.micro", 0)
	c := es.c
	closed, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("closed"), Description: aws.String("closed"), VpcId: &es.vpc})
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
	create := func(name, sg string, grace int32) {
		net := es.awsvpc(sg)
		net.AwsvpcConfiguration.AssignPublicIp = ecstypes.AssignPublicIpEnabled
		_, err := c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: &name, TaskDefinition: aws.String("web"),
			DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: net,
			HealthCheckGracePeriodSeconds: aws.Int32(grace),
			LoadBalancers:                 []ecstypes.LoadBalancer{{TargetGroupArn: &tgARN, ContainerName: aws.String("web"), ContainerPort: aws.Int32(3000)}},
			DeploymentConfiguration: &ecstypes.DeploymentConfiguration{
				DeploymentCircuitBreaker: &ecstypes.DeploymentCircuitBreaker{Enable: true, Rollback: false}}})
		must(t, err)
	}
	create("good", es.open, 0)
	create("bad", aws.ToString(closed.GroupId), 20)
	service := func(name string) ecstypes.Service {
		out, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{name}})
		must(t, err)
		return out.Services[0]
	}
	deadline := time.Now().Add(patience)
	for service("bad").Deployments[0].RolloutState != ecstypes.DeploymentRolloutStateFailed {
		if time.Now().After(deadline) {
			t.Fatalf("the deployment of bad never failed: %+v", service("bad").Events)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// failedTasks counts the deployment's consecutive failures: the
	// breaker's threshold when it trips; none for the healthy service.
	if n := service("bad").Deployments[0].FailedTasks; n < 3 {
		t.Errorf("bad: failedTasks %d, want at least the breaker's 3", n)
	}
	good := service("good")
	if n := good.Deployments[0].FailedTasks; n != 0 {
		t.Errorf("good: failedTasks %d, want 0", n)
	}
	if good.Deployments[0].RolloutState != ecstypes.DeploymentRolloutStateCompleted || good.RunningCount != 1 ||
		!strings.Contains(aws.ToString(good.Events[0].Message), "has reached a steady state") {
		t.Errorf("good: rollout %s, running %d, events %+v", good.Deployments[0].RolloutState, good.RunningCount, good.Events)
	}
	stopped, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("bad"), DesiredStatus: ecstypes.DesiredStatusStopped})
	must(t, err)
	if len(stopped.TaskArns) < 3 {
		t.Fatalf("bad: %d tasks stopped, want the breaker's 3", len(stopped.TaskArns))
	}
	d, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: stopped.TaskArns})
	must(t, err)
	for _, tk := range d.Tasks {
		if aws.ToString(tk.StoppedReason) != "Task failed ELB health checks in (target-group "+tgARN+")" || tk.StopCode != ecstypes.TaskStopCodeServiceSchedulerInitiated {
			t.Errorf("task %s: stop code %s, reason %q", aws.ToString(tk.TaskArn), tk.StopCode, aws.ToString(tk.StoppedReason))
		}
		if tk.StartedAt == nil || tk.StoppingAt == nil || tk.StoppingAt.Sub(*tk.StartedAt) < 20*time.Second {
			t.Errorf("task %s stopped before its grace period: started %v, stopping %v", aws.ToString(tk.TaskArn), tk.StartedAt, tk.StoppingAt)
		}
	}
	var unhealthy, started, failed int
	for _, e := range service("bad").Events {
		m := aws.ToString(e.Message)
		switch {
		case strings.HasPrefix(m, "(service bad) (task ") && strings.HasSuffix(m, "(port 3000) is unhealthy in (target-group "+tgARN+") due to (reason Request timed out)."):
			unhealthy++
		case strings.HasPrefix(m, "(service bad) has started 1 tasks: (task "):
			started++
		case strings.HasSuffix(m, "deployment failed: tasks failed to start."):
			failed++
		}
	}
	if unhealthy < 3 || started < 3 || failed != 1 {
		t.Errorf("bad's events: %d unhealthy, %d started, %d failed: %+v", unhealthy, started, failed, service("bad").Events)
	}
	// The same two services from CloudFormation.
	cf := cfnClient(em.URL)
	stack := func(name, sg string) string {
		body := fmt.Sprintf(`{"Resources": {"Svc": {"Type": "AWS::ECS::Service", "Properties": {
  "Cluster": "c", "ServiceName": %q, "TaskDefinition": "web", "DesiredCount": 1, "LaunchType": "FARGATE",
  "HealthCheckGracePeriodSeconds": 10,
  "NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "ENABLED", "Subnets": [%q, %q], "SecurityGroups": [%q]}},
  "LoadBalancers": [{"TargetGroupArn": %q, "ContainerName": "web", "ContainerPort": 3000}],
  "DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Enable": true, "Rollback": false}}}}}}`,
			name, es.subnets[0], es.subnets[1], sg, tgARN)
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: &body})
		must(t, err)
		return aws.ToString(out.StackId)
	}
	goodStack, badStack := stack("cfn-good", es.open), stack("cfn-bad", aws.ToString(closed.GroupId))
	waitStackFor(t, cf, goodStack, cfntypes.StackStatusCreateComplete, 30*time.Second)
	waitStackFor(t, cf, badStack, cfntypes.StackStatusRollbackComplete, 30*time.Second)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: &badStack})
	must(t, err)
	tripped := false
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "Svc" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed &&
			strings.Contains(aws.ToString(e.ResourceStatusReason), "ECS Deployment Circuit Breaker was triggered") {
			tripped = true
		}
	}
	if !tripped {
		t.Errorf("cfn-bad: no CREATE_FAILED event for the breaker: %+v", ev.StackEvents)
	}
}
