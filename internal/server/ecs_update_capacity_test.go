package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestUpdateServiceCapacityProviderStrategy: since June 2025 UpdateService
// changes a service's capacity: a launch type to a strategy, one strategy
// to another, and back with an empty list (to the launch type the service
// was created with, else the cluster's default strategy), each only with
// forceNewDeployment; the new deployment's tasks run on the new capacity.
func TestUpdateServiceCapacityProviderStrategy(t *testing.T) {
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	subnets, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	must(t, err)
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	_, err = c.ecs.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("c"),
		CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"}, DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{}})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx")}}})
	must(t, err)
	network := &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
		Subnets: []string{aws.ToString(subnets.Subnets[0].SubnetId)}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}
	spot := []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE_SPOT"), Weight: 1}}
	describe := func(name string) ecstypes.Service {
		t.Helper()
		out, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{name}})
		must(t, err)
		return out.Services[0]
	}
	update := func(name string, strategy []ecstypes.CapacityProviderStrategyItem, force bool) error {
		_, err := c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String(name),
			CapacityProviderStrategy: strategy, ForceNewDeployment: force})
		return err
	}

	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("lt"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: network})
	must(t, err)
	wantLimitError(t, "a strategy without forceNewDeployment", update("lt", spot, false), "InvalidParameterException",
		"When switching from launch type to capacity provider strategy on an existing service, or making a change to a capacity provider strategy on a service that is already using one, you must force a new deployment.")
	if s := describe("lt"); s.LaunchType != ecstypes.LaunchTypeFargate || len(s.CapacityProviderStrategy) != 0 {
		t.Fatalf("after the refused update: launch type %q, strategy %v", s.LaunchType, s.CapacityProviderStrategy)
	}
	must(t, update("lt", spot, true))
	s := describe("lt")
	if s.LaunchType != "" || len(s.CapacityProviderStrategy) != 1 || aws.ToString(s.CapacityProviderStrategy[0].CapacityProvider) != "FARGATE_SPOT" || len(s.Deployments) < 2 {
		t.Fatalf("on FARGATE_SPOT: launch type %q, strategy %v, %d deployments", s.LaunchType, s.CapacityProviderStrategy, len(s.Deployments))
	}
	eventually(t, "a task on FARGATE_SPOT", func() bool {
		arns, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("lt")})
		must(t, err)
		if len(arns.TaskArns) != 1 {
			return false
		}
		out, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: arns.TaskArns})
		must(t, err)
		return aws.ToString(out.Tasks[0].CapacityProviderName) == "FARGATE_SPOT" && aws.ToString(out.Tasks[0].LastStatus) == "RUNNING"
	})
	// An empty strategy: back to the launch type it was created with.
	must(t, update("lt", []ecstypes.CapacityProviderStrategyItem{}, true))
	if s := describe("lt"); s.LaunchType != ecstypes.LaunchTypeFargate || len(s.CapacityProviderStrategy) != 0 {
		t.Errorf("back: launch type %q, strategy %v, want FARGATE and none", s.LaunchType, s.CapacityProviderStrategy)
	}

	// A service created with a strategy, on a cluster without a default
	// one, has no launch type to go back to.
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("cp"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), CapacityProviderStrategy: spot, NetworkConfiguration: network})
	must(t, err)
	wantLimitError(t, "an empty strategy with nothing to fall back to", update("cp", []ecstypes.CapacityProviderStrategyItem{}, true), "InvalidParameterException",
		"No launch type to fall back to for empty capacity provider strategy. Your service was not created with a launch type.")
	// With a default strategy on the cluster, the service takes it.
	_, err = c.ecs.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("c"),
		CapacityProviders:               []string{"FARGATE", "FARGATE_SPOT"},
		DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE"), Weight: 1}}})
	must(t, err)
	must(t, update("cp", []ecstypes.CapacityProviderStrategyItem{}, true))
	if s := describe("cp"); len(s.CapacityProviderStrategy) != 1 || aws.ToString(s.CapacityProviderStrategy[0].CapacityProvider) != "FARGATE" {
		t.Errorf("empty strategy with a cluster default: %v, want the default (FARGATE)", s.CapacityProviderStrategy)
	}
	// An absent strategy changes nothing and needs no force.
	_, err = c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("cp"), DesiredCount: aws.Int32(2)})
	must(t, err)
}

// TestDescribeCapacityProvidersOfCluster: with cluster, DescribeCapacityProviders
// answers only the providers associated with that cluster; an unknown
// cluster is ClusterNotFoundException.
func TestDescribeCapacityProvidersOfCluster(t *testing.T) {
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	for _, name := range []string{"spot", "plain"} {
		_, err := c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(name)})
		must(t, err)
	}
	_, err := c.ecs.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("spot"),
		CapacityProviders: []string{"FARGATE_SPOT"}, DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{}})
	must(t, err)
	names := func(cluster *string) []string {
		t.Helper()
		out, err := c.ecs.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{Cluster: cluster})
		must(t, err)
		var got []string
		for _, cp := range out.CapacityProviders {
			got = append(got, aws.ToString(cp.Name))
		}
		return got
	}
	if got := names(nil); len(got) != 2 {
		t.Errorf("without a cluster: %v, want FARGATE and FARGATE_SPOT", got)
	}
	if got := names(aws.String("spot")); len(got) != 1 || got[0] != "FARGATE_SPOT" {
		t.Errorf("cluster spot: %v, want [FARGATE_SPOT]", got)
	}
	if got := names(aws.String("plain")); len(got) != 0 {
		t.Errorf("cluster plain: %v, want none", got)
	}
	_, err = c.ecs.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{Cluster: aws.String("nope")})
	wantLimitError(t, "an unknown cluster", err, "ClusterNotFoundException", "Cluster not found.")
}
