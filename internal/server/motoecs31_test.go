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
