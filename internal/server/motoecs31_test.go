package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestStartTaskEmptyContainerInstances checks, through the Go SDK, what
// StartTask answers for an empty containerInstances list (moto's
// test_start_task_exceptions sends one): ClientException "Container
// Instances cannot be empty.", not the "at most 10 items" of a list too
// long, which ecsnet answered until round thirty-one although the list
// was empty. Ten instances are still taken, eleven are not.
func TestStartTaskEmptyContainerInstances(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeC5Xlarge, 1)
	es.taskDef(t, "web", ecstypes.NetworkModeBridge, 0)
	_, err := es.c.ecs.StartTask(ctx, &ecs.StartTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"),
		ContainerInstances: []string{}})
	wantAPIError(t, err, "ClientException", "Container Instances cannot be empty.")

	l, err := es.c.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("c")})
	must(t, err)
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = l.ContainerInstanceArns[0]
	}
	_, err = es.c.ecs.StartTask(ctx, &ecs.StartTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"),
		ContainerInstances: eleven})
	wantAPIError(t, err, "InvalidParameterException", "containerInstances can have at most 10 items.")

	out, err := es.c.ecs.StartTask(ctx, &ecs.StartTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"),
		ContainerInstances: l.ContainerInstanceArns})
	must(t, err)
	if len(out.Tasks) != 1 || len(out.Failures) != 0 {
		t.Fatalf("StartTask on the instance: %d tasks, failures %+v", len(out.Tasks), out.Failures)
	}
}

// TestDescribeClustersStatistics checks, through the Go SDK, DescribeClusters'
// include=STATISTICS: the eight counts of the API model's Cluster.statistics,
// by launch type, as strings (ecsnet answered an empty list until round
// thirty-one); without the include the list stays empty.
func TestDescribeClustersStatistics(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeC5Xlarge, 1)
	es.taskDef(t, "web", ecstypes.NetworkModeBridge, 0)
	es.taskDef(t, "fg", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
	_, err := es.c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("ec2"),
		TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(1)})
	must(t, err)
	_, err = es.c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("fargate"),
		TaskDefinition: aws.String("fg"), DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: es.subnets,
			SecurityGroups: []string{es.open}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}})
	must(t, err)
	stats := func(include ...ecstypes.ClusterField) map[string]string {
		d, err := es.c.ecs.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"c"}, Include: include})
		must(t, err)
		out := map[string]string{}
		for _, kv := range d.Clusters[0].Statistics {
			out[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
		}
		return out
	}
	want := map[string]string{
		"runningEC2TasksCount": "1", "runningFargateTasksCount": "1", "pendingEC2TasksCount": "0", "pendingFargateTasksCount": "0",
		"activeEC2ServiceCount": "1", "activeFargateServiceCount": "1", "drainingEC2ServiceCount": "0", "drainingFargateServiceCount": "0",
	}
	var got map[string]string
	eventually(t, "both services' tasks run", func() bool {
		got = stats(ecstypes.ClusterFieldStatistics)
		return got["runningEC2TasksCount"] == "1" && got["runningFargateTasksCount"] == "1"
	})
	if len(got) != len(want) {
		t.Errorf("statistics %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("statistics[%s] = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if s := stats(); len(s) != 0 {
		t.Errorf("statistics without include=STATISTICS: %v, want none", s)
	}
}
