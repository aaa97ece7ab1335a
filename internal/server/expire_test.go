package server_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/server"
)

// TestStoppedTaskExpires, through the AWS SDK for Go v2: a stopped task is
// listed (ListTasks desiredStatus STOPPED) and described until its
// retention ends (an hour on AWS, 2 s here), then DescribeTasks answers
// it as a MISSING failure and ListTasks no longer lists it.
func TestStoppedTaskExpires(t *testing.T) {
	srv, err := server.New(server.Options{
		Registry: services.Registry(), Analyzer: services.Analyzer(),
		EngineOptions: append(services.EngineOptions(), engine.WithStoppedTaskRetention(2*time.Second)),
		StepInterval:  10 * time.Millisecond, Models: testModels,
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	go srv.StepLoop()
	t.Cleanup(func() {
		hs.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	c := sdkClients(hs.URL)
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	sub, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx")}}})
	must(t, err)
	out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{aws.ToString(sub.Subnet.SubnetId)}}}})
	must(t, err)
	arn := out.Tasks[0].TaskArn
	_, err = c.ecs.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("c"), Task: arn})
	must(t, err)
	describe := func() *ecs.DescribeTasksOutput {
		d, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: []string{aws.ToString(arn)}})
		must(t, err)
		return d
	}
	listed := func() bool {
		l, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), DesiredStatus: ecstypes.DesiredStatusStopped})
		must(t, err)
		return len(l.TaskArns) == 1 && l.TaskArns[0] == aws.ToString(arn)
	}
	sawStopped := false
	eventually(t, "the task stops, then expires", func() bool {
		d := describe()
		if len(d.Tasks) == 1 {
			if aws.ToString(d.Tasks[0].LastStatus) == "STOPPED" && !sawStopped {
				sawStopped = true
				if !listed() {
					t.Error("a stopped task is not listed with desiredStatus STOPPED")
				}
			}
			return false
		}
		return len(d.Failures) == 1 && aws.ToString(d.Failures[0].Reason) == "MISSING"
	})
	if !sawStopped {
		t.Error("the task was never seen STOPPED before it expired")
	}
	if listed() {
		t.Error("an expired task is still listed")
	}
}
