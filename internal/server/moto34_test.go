package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestListTasksUnknownService34 checks, through the Go SDK, that ListTasks
// filtered on a service the cluster does not have is refused with
// ServiceNotFoundException "Service not found." (AWS's answer in
// turbot/steampipe-plugin-aws#1415, status 400; the error is in ListTasks'
// model), by name or by ARN, also for a service of another cluster; ecsnet
// answered an empty list until round thirty-four. The cluster's own service,
// with no task yet, lists nothing.
func TestListTasksUnknownService34(t *testing.T) {
	em := newEmulator(t, nil)
	c := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	for _, name := range []string{"one", "other"} {
		_, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(name)})
		must(t, err)
	}
	_, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(128)}}})
	must(t, err)
	svc, err := c.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("other"), ServiceName: aws.String("web"),
		TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(0)})
	must(t, err)
	for _, ref := range []string{"no-such-service", *svc.Service.ServiceArn} {
		_, err := c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("one"), ServiceName: aws.String(ref)})
		wantAPIError(t, err, "ServiceNotFoundException", "Service not found.")
	}
	for _, ref := range []string{"web", *svc.Service.ServiceArn} {
		out, err := c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("other"), ServiceName: aws.String(ref)})
		must(t, err)
		if len(out.TaskArns) != 0 {
			t.Errorf("ListTasks serviceName=%s: %v, want none", ref, out.TaskArns)
		}
	}
}
