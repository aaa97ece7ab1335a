package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// TestListTasksUnknownContainerInstance34 checks, through the Go SDK, that
// ListTasks filtered on a container instance the cluster does not have (an
// id, or the ARN of one) answers an empty list, as it does for a family or
// service that has no tasks: the API documents no error for the filter, and
// moto's test_list_tasks_with_filters expects the empty list. ecsnet answered
// InvalidParameterException "The referenced container instance … was not
// found." until round thirty-four. An unknown cluster is still an error.
func TestListTasksUnknownContainerInstance34(t *testing.T) {
	em := newEmulator(t, nil)
	c := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	_, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("test_ecs_cluster")})
	must(t, err)
	for _, ref := range []string{"bad-id", "arn:aws:ecs:us-east-1:123456789012:container-instance/test_ecs_cluster/0123456789abcdef0123456789abcdef"} {
		out, err := c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("test_ecs_cluster"), ContainerInstance: aws.String(ref)})
		if err != nil {
			t.Errorf("ListTasks containerInstance=%s: %v, want an empty list", ref, err)
			continue
		}
		if out.TaskArns == nil || len(out.TaskArns) != 0 {
			t.Errorf("ListTasks containerInstance=%s: taskArns %#v, want []", ref, out.TaskArns)
		}
	}
	_, err = c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("no-such-cluster"), ContainerInstance: aws.String("bad-id")})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")
}
