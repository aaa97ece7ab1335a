package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// An image that is an ECR repository ARN registers (RegisterTaskDefinition
// checks characters, not the reference's grammar), and the task stops when
// its image is pulled: CannotPullContainerError, stopCode
// TaskFailedToStart. The repository URI runs; a space never registers.
func TestImageReferenceStopsTask(t *testing.T) {
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	must(t, err)
	subnet := aws.ToString(subs.Subnets[0].SubnetId)
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	execRole := executionRole(t, em.URL)
	register := func(family, image string) error {
		_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String(family), NetworkMode: ecstypes.NetworkModeAwsvpc,
			RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
			ExecutionRoleArn:     aws.String(execRole),
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String(image)}}})
		return err
	}
	err = register("spaced", "my app:1")
	if apiCode(err) != "ClientException" || !strings.Contains(err.Error(), "Container.image contains invalid characters.") {
		t.Fatalf("an image with a space: %v", err)
	}
	must(t, register("by-arn", "arn:aws:ecr:us-east-1:123456789012:repository/app"))
	must(t, register("by-uri", "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"))
	must(t, register("upper", "123456789012.dkr.ecr.us-east-1.amazonaws.com/App:1"))
	run := func(family string) ecstypes.Task {
		out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String(family), LaunchType: ecstypes.LaunchTypeFargate,
			NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}})
		must(t, err)
		arn := aws.ToString(out.Tasks[0].TaskArn)
		var tk ecstypes.Task
		eventually(t, "task "+arn+" settles", func() bool {
			out, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: []string{arn}})
			must(t, err)
			tk = out.Tasks[0]
			s := aws.ToString(tk.LastStatus)
			return s == "RUNNING" || s == "STOPPED"
		})
		return tk
	}
	for family, want := range map[string]string{
		"by-arn": "CannotPullContainerError: invalid reference format",
		"upper":  "CannotPullContainerError: invalid reference format: repository name (App) must be lowercase",
	} {
		tk := run(family)
		if aws.ToString(tk.LastStatus) != "STOPPED" || tk.StopCode != ecstypes.TaskStopCodeTaskFailedToStart || aws.ToString(tk.StoppedReason) != want {
			t.Errorf("%s: %s %s %q, want STOPPED TaskFailedToStart %q", family, aws.ToString(tk.LastStatus), tk.StopCode, aws.ToString(tk.StoppedReason), want)
		}
	}
	if tk := run("by-uri"); aws.ToString(tk.LastStatus) != "RUNNING" {
		t.Errorf("the repository URI: %s %q", aws.ToString(tk.LastStatus), aws.ToString(tk.StoppedReason))
	}
}
