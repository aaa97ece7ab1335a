package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecsnet/ecsnet/internal/server"
)

// round40NoCapacityTemplate is an EC2 service on a cluster with no
// container instance: with DesiredCount 0 it has nothing to run.
const round40NoCapacityTemplate = `
Parameters:
  Count: {Type: Number, Default: 0}
Resources:
  Cluster: {Type: AWS::ECS::Cluster}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      RequiresCompatibilities: [EC2]
      NetworkMode: bridge
      ContainerDefinitions:
        - {Name: web, Image: public.ecr.aws/nginx/nginx:latest, Memory: 256, PortMappings: [{ContainerPort: 80}]}
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      LaunchType: EC2
      TaskDefinition: !Ref Task
      DesiredCount: !Ref Count
`

// TestRound40ServiceCountUpdateWaitsForTasks: an update that only raises
// an ECS service's DesiredCount (no new deployment: its one deployment
// stays COMPLETED) waits, as CloudFormation waits for a service to be
// stable (the ECS services-stable waiter: one deployment and runningCount
// equal to desiredCount). On a cluster with no container instance the
// task never runs, so the update fails when the wait times out and rolls
// back. Before round forty the update completed at once with 0 of 1
// tasks running.
func TestRound40ServiceCountUpdateWaitsForTasks(t *testing.T) {
	em, steps := newSteppedEmulator(t, server.Options{StackStabilizeTimeout: 2 * time.Second})
	cf := cfnClient(em.URL)
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("idle"), TemplateBody: aws.String(round40NoCapacityTemplate)})
	must(t, err)
	waitStack(t, cf, "idle", cfntypes.StackStatusCreateComplete)
	// The service's one deployment completes (0 of 0 tasks running).
	c := sdkClients(em.URL)
	ids := stackPhysicalIDs(t, cf, "idle")
	for i := 0; ; i++ {
		steps.step()
		ds, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(ids["Cluster"]), Services: []string{ids["Service"]}})
		must(t, err)
		if d := ds.Services[0].Deployments; len(d) == 1 && d[0].RolloutState == "COMPLETED" {
			break
		}
		if i == 300 {
			t.Fatalf("the service's deployments after 300 steps: %+v", ds.Services[0].Deployments)
		}
	}
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("idle"), UsePreviousTemplate: aws.Bool(true),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Count"), ParameterValue: aws.String("1")}}})
	must(t, err)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("idle")})
	must(t, err)
	if st := ds.Stacks[0].StackStatus; st != cfntypes.StackStatusUpdateInProgress {
		t.Fatalf("after UpdateStack: stack %s, want UPDATE_IN_PROGRESS (the service runs 0 of 1 tasks)", st)
	}
	// The engine steps until the stabilize timeout (2 s) has passed.
	for deadline := time.Now().Add(2 * time.Minute); ; {
		steps.step()
		ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("idle")})
		must(t, err)
		st := ds.Stacks[0].StackStatus
		if st == cfntypes.StackStatusUpdateRollbackComplete {
			break
		}
		if st == cfntypes.StackStatusUpdateComplete || time.Now().After(deadline) {
			t.Fatalf("stack %s, want the update to wait for the task and roll back", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("idle")})
	must(t, err)
	reason := ""
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "Service" && e.ResourceStatus == cfntypes.ResourceStatusUpdateFailed {
			reason = aws.ToString(e.ResourceStatusReason)
		}
	}
	if !strings.Contains(reason, "did not stabilize") {
		t.Errorf("Service UPDATE_FAILED reason %q, want the service's did-not-stabilize text", reason)
	}
}
