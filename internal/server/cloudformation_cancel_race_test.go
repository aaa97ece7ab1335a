package server_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/server"
)

// TestCloudFormationCancelRacesSettle: CancelUpdateStack rolls an update
// back while the background step settles stacks without pause. The
// rollback puts the service back as it was, stable at once, so a settle
// that read the stack before the cancel's last write would find the
// update's service stable and complete the update over the rollback
// (seen once in CI: UPDATE_COMPLETE where UPDATE_ROLLBACK_COMPLETE was
// due), or record the update's parameters over the rolled-back stack. Stack
// operations and the settle take the region's stack lock, so every cancel
// ends UPDATE_ROLLBACK_COMPLETE, and the next update is one again. The
// service, back as it was, drops the update's deployment whose tasks all
// failed (it stayed ACTIVE, and the rollback waited on it for ever).
func TestCloudFormationCancelRacesSettle(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: time.Minute})
	cf := cfnClient(em.URL)
	body := sweepTemplate(t, "service-stabilize.yaml")
	param := func(k, v string) cfntypes.Parameter {
		return cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)}
	}
	reachable := []cfntypes.Parameter{param("ImageReachable", "true")}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("race"), TemplateBody: body, Parameters: reachable})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStackFor(t, cf, id, cfntypes.StackStatusCreateComplete, 20*time.Second)

	stepping, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for stepping.Err() == nil {
			em.srv.Step()
		}
	}()
	defer func() { stop(); wg.Wait() }()
	for range 15 {
		// The tasks of this update cannot reach their image and nothing
		// trips: it waits until cancelled.
		_, err := cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("race"), TemplateBody: body,
			Parameters: []cfntypes.Parameter{param("Breaker", "false"), param("ImageReachable", "false")}})
		must(t, err)
		_, err = cf.CancelUpdateStack(ctx, &cloudformation.CancelUpdateStackInput{StackName: aws.String("race")})
		must(t, err)
		waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete, 20*time.Second)
	}
}

// TestStepLoopNotHeldByStackLock: while a stack operation holds a
// region's stack lock (here held by hand, as a long nested deploy holds
// it), the background step goes on: a task started in another region
// still reaches RUNNING. The settle used to wait for the lock, and every
// region's step waited with it.
func TestStepLoopNotHeldByStackLock(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	e, err := em.srv.Engine("us-east-1")
	must(t, err)
	unlock := e.LockStacks()
	defer unlock()
	west := sdkConfig()
	west.Region = "us-west-2"
	c := ecs.NewFromConfig(west, func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	_, err = c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("w")})
	must(t, err)
	_, err = c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("public.ecr.aws/nginx/nginx")}}})
	must(t, err)
	sn, err := ec2.NewFromConfig(west, func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) }).DescribeSubnets(ctx,
		&ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{filter("default-for-az", "true")}})
	must(t, err)
	subnets := []string{aws.ToString(sn.Subnets[0].SubnetId)}
	out, err := c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("w"), TaskDefinition: aws.String("web"), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: subnets, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}})
	must(t, err)
	eventually(t, "the task RUNNING in us-west-2", func() bool {
		d, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("w"), Tasks: []string{aws.ToString(out.Tasks[0].TaskArn)}})
		return err == nil && aws.ToString(d.Tasks[0].LastStatus) == "RUNNING"
	})
}
