package server_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// RegisterTaskDefinition answers the requiresAttributes ECS derives, in
// ECS's order: a Fargate definition with awslogs and an execution role
// lists exactly what a public describe-task-definition output of such a
// definition lists; ECR images, a task role and health checks add theirs.
func TestRequiresAttributesDerived(t *testing.T) {
	em := newAccount(t, nil)
	c := sdkClients(em.URL).ecs
	logs := &ecstypes.LogConfiguration{LogDriver: ecstypes.LogDriverAwslogs, Options: map[string]string{"awslogs-group": "otelcol", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "otelcol"}}
	names := func(out *ecs.RegisterTaskDefinitionOutput) []string {
		var n []string
		for _, a := range out.TaskDefinition.RequiresAttributes {
			n = append(n, aws.ToString(a.Name))
		}
		return n
	}
	plain, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("otel"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ExecutionRoleArn:     aws.String("arn:aws:iam::123456789012:role/ecsTaskExecutionRole"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("collector"), Image: aws.String("quay.io/signalfx/splunk-otel-collector:latest"), Essential: aws.Bool(true), LogConfiguration: logs}}})
	must(t, err)
	want := []string{"com.amazonaws.ecs.capability.logging-driver.awslogs", "ecs.capability.execution-role-awslogs",
		"com.amazonaws.ecs.capability.docker-remote-api.1.19", "com.amazonaws.ecs.capability.docker-remote-api.1.18", "ecs.capability.task-eni"}
	if got := names(plain); !slices.Equal(got, want) {
		t.Errorf("requiresAttributes %v, want %v", got, want)
	}
	rich, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("app"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ExecutionRoleArn: aws.String("arn:aws:iam::123456789012:role/exec"), TaskRoleArn: aws.String("arn:aws:iam::123456789012:role/task"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"), Essential: aws.Bool(true), LogConfiguration: logs,
			HealthCheck: &ecstypes.HealthCheck{Command: []string{"CMD-SHELL", "curl -f http://localhost/ || exit 1"}}}}})
	must(t, err)
	want = []string{"com.amazonaws.ecs.capability.logging-driver.awslogs", "ecs.capability.execution-role-awslogs", "com.amazonaws.ecs.capability.ecr-auth",
		"com.amazonaws.ecs.capability.docker-remote-api.1.19", "com.amazonaws.ecs.capability.task-iam-role", "ecs.capability.container-health-check",
		"ecs.capability.execution-role-ecr-pull", "com.amazonaws.ecs.capability.docker-remote-api.1.18", "ecs.capability.task-eni"}
	if got := names(rich); !slices.Equal(got, want) {
		t.Errorf("requiresAttributes %v, want %v", got, want)
	}
	d, err := c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("app")})
	must(t, err)
	if len(d.TaskDefinition.RequiresAttributes) != len(want) {
		t.Errorf("DescribeTaskDefinition lists %d requiresAttributes, want %d", len(d.TaskDefinition.RequiresAttributes), len(want))
	}
}
