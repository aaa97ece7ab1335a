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

// TestManagedScalingInstancesNeeded checks, through the Go SDK, how many
// instances a capacity provider's managed scaling launches for tasks it
// cannot place: as many as the tasks' resources need on the group's
// instance type (six tasks of 512 CPU units on t3.large instances of 2,048
// units: two), divided by the target capacity (100%: two instances; 50%:
// four), not one per task.
func TestManagedScalingInstancesNeeded(t *testing.T) {
	t.Parallel()
	start := time.Now()
	fast := engine.WithClock(func() time.Time { return start.Add(30 * time.Since(start)) })
	es := newEstateOn(t, newEmulator(t, nil, fast), "t3.micro", 0)
	c := es.c
	ud := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n"))
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("ms-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Large,
			SecurityGroupIds: []string{es.open}, UserData: &ud, IamInstanceProfile: ecsTemplateProfile(t, es.url)}})
	must(t, err)
	var providers []string
	for _, p := range []struct {
		name   string
		target int32
	}{{"full", 100}, {"half", 50}} {
		g, err := c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String(p.name),
			LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
			MinSize:        aws.Int32(0), MaxSize: aws.Int32(10), DesiredCapacity: aws.Int32(0), VPCZoneIdentifier: aws.String(es.subnets[0])})
		must(t, err)
		_ = g
		arn := aws.ToString(tfGroup(t, c, p.name).AutoScalingGroupARN)
		_, err = c.ecs.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String(p.name + "-cp"),
			AutoScalingGroupProvider: &ecstypes.AutoScalingGroupProvider{AutoScalingGroupArn: &arn,
				ManagedScaling: &ecstypes.ManagedScaling{Status: ecstypes.ManagedScalingStatusEnabled, TargetCapacity: aws.Int32(p.target)}}})
		must(t, err)
		providers = append(providers, p.name+"-cp")
	}
	_, err = c.ecs.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("c"), CapacityProviders: providers,
		DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{}})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("work"), NetworkMode: ecstypes.NetworkModeBridge,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("w"), Image: aws.String("nginx"), Cpu: 512, Memory: aws.Int32(512),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(80)}}}}})
	must(t, err)
	for _, p := range providers {
		_, err := c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String(p), TaskDefinition: aws.String("work"),
			DesiredCount: aws.Int32(6), CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String(p), Weight: 1}}})
		must(t, err)
	}
	eventually(t, "both services run their six tasks", func() bool {
		out, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: providers})
		must(t, err)
		return out.Services[0].RunningCount == 6 && out.Services[1].RunningCount == 6
	})
	for name, want := range map[string]int32{"full": 2, "half": 4} {
		if got := aws.ToInt32(tfGroup(t, c, name).DesiredCapacity); got != want {
			t.Errorf("group %s: desired capacity %d, want %d", name, got, want)
		}
	}
}
