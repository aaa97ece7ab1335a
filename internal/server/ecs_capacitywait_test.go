package server_test

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// capacityProviders creates, in the estate's cluster c, one Auto Scaling
// group of t3.large instances (ECS_CLUSTER=c) per entry and a capacity
// provider on it (NAME-cp), with managed scaling as asked, and registers
// a bridge-mode task definition "work" of 512 CPU units.
func capacityProviders(t *testing.T, es *estate, groups []cpGroup) {
	t.Helper()
	c := es.c
	ud := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n"))
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("cw-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Large,
			SecurityGroupIds: []string{es.open}, UserData: &ud, IamInstanceProfile: ecsTemplateProfile(t, es.url)}})
	must(t, err)
	var names []string
	for _, g := range groups {
		_, err := c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String(g.name),
			LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
			MinSize:        aws.Int32(0), MaxSize: aws.Int32(g.max), DesiredCapacity: aws.Int32(g.desired), VPCZoneIdentifier: aws.String(es.subnets[0])})
		must(t, err)
		arn := aws.ToString(tfGroup(t, c, g.name).AutoScalingGroupARN)
		status := ecstypes.ManagedScalingStatusDisabled
		if g.managed {
			status = ecstypes.ManagedScalingStatusEnabled
		}
		_, err = c.ecs.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String(g.name + "-cp"),
			AutoScalingGroupProvider: &ecstypes.AutoScalingGroupProvider{AutoScalingGroupArn: &arn,
				ManagedScaling: &ecstypes.ManagedScaling{Status: status, TargetCapacity: aws.Int32(100)}}})
		must(t, err)
		names = append(names, g.name+"-cp")
	}
	_, err = c.ecs.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("c"), CapacityProviders: names,
		DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{}})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("work"), NetworkMode: ecstypes.NetworkModeBridge,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("w"), Image: aws.String("nginx"), Cpu: 512, Memory: aws.Int32(512)}}})
	must(t, err)
}

type cpGroup struct {
	name         string
	desired, max int32
	managed      bool
}

func describeTask(t *testing.T, c clients, arn string) ecstypes.Task {
	t.Helper()
	out, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: []string{arn}})
	must(t, err)
	if len(out.Tasks) != 1 {
		t.Fatalf("task %s: %+v", arn, out.Failures)
	}
	return out.Tasks[0]
}

// TestRunTaskAwaitsCapacity checks, through the Go SDK, ECS cluster auto
// scaling for standalone tasks: RunTask with a strategy over two capacity
// providers with managed scaling, one of whose groups has no instance,
// places the task it can and answers the other PROVISIONING (no
// container instance, no failure); that task counts toward its
// provider's reservation, so managed scaling grows the empty group, and
// it runs once the new instance registers.
func TestRunTaskAwaitsCapacity(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	capacityProviders(t, es, []cpGroup{{"warm", 1, 2, true}, {"cold", 0, 2, true}})
	eventually(t, "the warm group's instance registers", func() bool {
		out, err := c.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("c"), Status: ecstypes.ContainerInstanceStatusActive})
		must(t, err)
		return len(out.ContainerInstanceArns) == 1
	})
	out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("work"), Count: aws.Int32(2),
		CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("warm-cp"), Weight: 1},
			{CapacityProvider: aws.String("cold-cp"), Weight: 1}}})
	must(t, err)
	if len(out.Tasks) != 2 || len(out.Failures) != 0 {
		t.Fatalf("RunTask: %d tasks, failures %+v; want 2 tasks, no failure", len(out.Tasks), out.Failures)
	}
	var waiting string
	for _, tk := range out.Tasks {
		switch aws.ToString(tk.CapacityProviderName) {
		case "warm-cp":
			if tk.ContainerInstanceArn == nil {
				t.Errorf("the warm provider's task has no container instance")
			}
		case "cold-cp":
			waiting = aws.ToString(tk.TaskArn)
			if aws.ToString(tk.LastStatus) != "PROVISIONING" || tk.ContainerInstanceArn != nil {
				t.Errorf("the cold provider's task: %s on %v, want PROVISIONING on no instance", aws.ToString(tk.LastStatus), aws.ToString(tk.ContainerInstanceArn))
			}
		default:
			t.Errorf("task under provider %q", aws.ToString(tk.CapacityProviderName))
		}
	}
	if waiting == "" {
		t.Fatal("no task under the cold provider")
	}
	eventually(t, "managed scaling grows the cold group", func() bool {
		return aws.ToInt32(tfGroup(t, c, "cold").DesiredCapacity) == 1
	})
	eventually(t, "the waiting task runs on the new instance", func() bool {
		tk := describeTask(t, c, waiting)
		return aws.ToString(tk.LastStatus) == "RUNNING" && tk.ContainerInstanceArn != nil
	})
}

// TestRunTaskCapacityWaitEnds checks that a task waiting for capacity its
// provider cannot launch (the group at its maximum) stops when the wait is
// over: stopCode TaskFailedToStart; and that a provider without managed
// scaling fails at once, as before cluster auto scaling.
func TestRunTaskCapacityWaitEnds(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil, engine.WithCapacityWaitTimeout(time.Second)), "t3.micro", 0)
	c := es.c
	capacityProviders(t, es, []cpGroup{{"capped", 0, 0, true}, {"manual", 0, 2, false}})
	out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("work"),
		CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("capped-cp"), Weight: 1}}})
	must(t, err)
	if len(out.Tasks) != 1 || aws.ToString(out.Tasks[0].LastStatus) != "PROVISIONING" {
		t.Fatalf("RunTask: %+v, failures %+v; want one PROVISIONING task", out.Tasks, out.Failures)
	}
	arn := aws.ToString(out.Tasks[0].TaskArn)
	eventually(t, "the task stops once its wait is over", func() bool {
		return aws.ToString(describeTask(t, c, arn).LastStatus) == "STOPPED"
	})
	tk := describeTask(t, c, arn)
	if tk.StopCode != ecstypes.TaskStopCodeTaskFailedToStart || aws.ToString(tk.StoppedReason) == "" {
		t.Errorf("stopped task: stopCode %q, stoppedReason %q; want TaskFailedToStart and a reason", tk.StopCode, aws.ToString(tk.StoppedReason))
	}
	if aws.ToInt32(tfGroup(t, c, "capped").DesiredCapacity) != 0 {
		t.Errorf("the group grew past its maximum")
	}
	_, err = c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("work"),
		CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("manual-cp"), Weight: 1}}})
	wantAPIError(t, err, "InvalidParameterException", "No Container Instances were found in your capacity provider.")
}
