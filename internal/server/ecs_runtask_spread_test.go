package server_test

import (
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestRunTaskSpreadsOverProviders checks, through the Go SDK, that
// RunTask splits its tasks over the providers of a capacity provider
// strategy as a service does: a's base of 2 first, then the other four by
// weight (1 to 3): three tasks on each provider, each on its own group's
// instance. The same request with the cluster's default strategy (no
// strategy given) splits alike.
func TestRunTaskSpreadsOverProviders(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	ud := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n"))
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("sp-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Xlarge,
			SecurityGroupIds: []string{es.open}, UserData: &ud, IamInstanceProfile: ecsTemplateProfile(t, es.url)}})
	must(t, err)
	group := map[string]string{} // provider → group
	for _, name := range []string{"a", "b"} {
		_, err := c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("g" + name),
			LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
			MinSize:        aws.Int32(1), MaxSize: aws.Int32(1), DesiredCapacity: aws.Int32(1), VPCZoneIdentifier: aws.String(es.subnets[0])})
		must(t, err)
		arn := aws.ToString(tfGroup(t, c, "g"+name).AutoScalingGroupARN)
		_, err = c.ecs.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String(name),
			AutoScalingGroupProvider: &ecstypes.AutoScalingGroupProvider{AutoScalingGroupArn: &arn}})
		must(t, err)
		group[name] = "g" + name
	}
	strategy := []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("a"), Base: 2, Weight: 1}, {CapacityProvider: aws.String("b"), Weight: 3}}
	_, err = c.ecs.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("c"), CapacityProviders: []string{"a", "b"},
		DefaultCapacityProviderStrategy: strategy})
	must(t, err)
	eventually(t, "both groups' instances register", func() bool {
		l, err := c.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("c")})
		return err == nil && len(l.ContainerInstanceArns) == 2
	})
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("job"), NetworkMode: ecstypes.NetworkModeBridge,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("j"), Image: aws.String("nginx"), Cpu: 256, Memory: aws.Int32(256)}}})
	must(t, err)
	for _, given := range [][]ecstypes.CapacityProviderStrategyItem{strategy, nil} {
		out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("job"), Count: aws.Int32(6),
			CapacityProviderStrategy: given})
		must(t, err)
		if len(out.Failures) > 0 || len(out.Tasks) != 6 {
			t.Fatalf("RunTask (strategy %v): %d tasks, failures %+v", given != nil, len(out.Tasks), out.Failures)
		}
		per := map[string]int{}
		cis := map[string]map[string]bool{}
		for _, tk := range out.Tasks {
			p := aws.ToString(tk.CapacityProviderName)
			per[p]++
			if cis[p] == nil {
				cis[p] = map[string]bool{}
			}
			cis[p][aws.ToString(tk.ContainerInstanceArn)] = true
		}
		if per["a"] != 3 || per["b"] != 3 || len(cis["a"]) != 1 || len(cis["b"]) != 1 || func() bool {
			for ci := range cis["a"] {
				if cis["b"][ci] {
					return true
				}
			}
			return false
		}() {
			t.Errorf("RunTask (strategy %v): tasks per provider %v on instances %v", given != nil, per, cis)
		}
	}
}
