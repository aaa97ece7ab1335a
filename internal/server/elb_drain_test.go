package server_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// TestECSTaskDrainsBeforeStopping checks through the Go SDK that a
// service task behind a target group, once stopped, is deregistered
// through draining and waits DEACTIVATING while its target drains (the
// group's deregistration delay), and only then stops: it never reaches
// STOPPED while its target is still listed.
func TestECSTaskDrainsBeforeStopping(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil, slowClock())
	es := newEstateOn(t, em, "t3.micro", 0)
	c := es.c
	alb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("alb"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	tgOut, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: &es.vpc, TargetType: elbtypes.TargetTypeEnumIp, HealthCheckIntervalSeconds: aws.Int32(5), HealthCheckTimeoutSeconds: aws.Int32(2)})
	must(t, err)
	tg := aws.ToString(tgOut.TargetGroups[0].TargetGroupArn)
	_, err = c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &tg}}})
	must(t, err)

	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(80)}}}}})
	must(t, err)
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: es.subnets,
			SecurityGroups: []string{es.open}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}},
		LoadBalancers: []ecstypes.LoadBalancer{{TargetGroupArn: &tg, ContainerName: aws.String("web"), ContainerPort: aws.Int32(80)}}})
	must(t, err)

	var task, ip string
	eventually(t, "the service's task runs, registered", func() bool {
		ts, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("web")})
		must(t, err)
		if len(ts.TaskArns) == 0 {
			return false
		}
		dt, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: ts.TaskArns[:1]})
		must(t, err)
		tk := dt.Tasks[0]
		if aws.ToString(tk.LastStatus) != "RUNNING" || len(tk.Containers) == 0 || len(tk.Containers[0].NetworkInterfaces) == 0 {
			return false
		}
		task, ip = aws.ToString(tk.TaskArn), aws.ToString(tk.Containers[0].NetworkInterfaces[0].PrivateIpv4Address)
		_, ok := targetStates(t, c.elb, tg)[ip]
		return ok
	})

	_, err = c.ecs.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("c"), Task: &task})
	must(t, err)
	if got, ok := targetStates(t, c.elb, tg)[ip]; !ok || got.State != elbtypes.TargetHealthStateEnumDraining || got.Reason != elbtypes.TargetHealthReasonEnumDeregistrationInProgress {
		t.Errorf("the stopped task's target: listed %v, %s %s, want draining Target.DeregistrationInProgress", ok, got.State, got.Reason)
	}
	var seen []string
	eventually(t, "the task stops", func() bool {
		dt, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: []string{task}})
		must(t, err)
		s := aws.ToString(dt.Tasks[0].LastStatus)
		_, listed := targetStates(t, c.elb, tg)[ip]
		if s == "STOPPED" && listed {
			t.Errorf("the task is STOPPED while its target is still listed")
		}
		if len(seen) == 0 || seen[len(seen)-1] != s {
			seen = append(seen, s)
		}
		return s == "STOPPED"
	})
	// A loaded machine may poll first when the task is DEACTIVATING
	// already; what matters is that it waited there before STOPPED.
	if i := slices.Index(seen, "DEACTIVATING"); i < 0 || slices.Contains(seen[:i], "STOPPED") {
		t.Errorf("the stopped task went %q, want …, DEACTIVATING, …, STOPPED", seen)
	}
	if _, ok := targetStates(t, c.elb, tg)[ip]; ok {
		t.Errorf("the stopped task's target is still listed")
	}
}
