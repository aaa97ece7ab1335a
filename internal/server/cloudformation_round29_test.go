package server_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/internal/server"
)

// TestCloudFormationContinueUpdateRollback: an update whose service
// cannot start rolls back, and the rollback fails too when the route its
// previous configuration needs was deleted out of band meanwhile: the
// stack is UPDATE_ROLLBACK_FAILED and takes no update. ContinueUpdateRollback
// refuses a stack in another state, a resource to skip the stack does not
// have and one that is not in a failed state, changing nothing; once the
// route is back it deploys the service's previous configuration again,
// waits for it and ends UPDATE_ROLLBACK_COMPLETE. The next time, skipping
// the service ends the rollback at once, the service UPDATE_COMPLETE as
// it is.
func TestCloudFormationContinueUpdateRollback(t *testing.T) {
	em, steps := newSteppedEmulator(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body := sweepTemplate(t, "service-stabilize.yaml")
	param := func(k, v string) cfntypes.Parameter {
		return cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)}
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("cont"), TemplateBody: body,
		Parameters: []cfntypes.Parameter{param("ImageReachable", "true")}})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStackFor(t, cf, id, cfntypes.StackStatusCreateComplete, 20*time.Second)
	ids := stackPhysicalIDs(t, cf, "cont")
	continueErr := func(skip ...string) string {
		_, err := cf.ContinueUpdateRollback(ctx, &cloudformation.ContinueUpdateRollbackInput{StackName: aws.String("cont"), ResourcesToSkip: skip})
		if err == nil {
			return ""
		}
		return err.Error()
	}
	if e := continueErr(); !strings.Contains(e, "ContinueUpdateRollback cannot be called from current stack status") {
		t.Errorf("ContinueUpdateRollback of a CREATE_COMPLETE stack: %q", e)
	}

	// failRollback updates the stack to a service that cannot reach its
	// image and, before the update's first step, deletes the route the
	// previous configuration needs.
	failRollback := func() int {
		n := len(stackEventsOf(t, cf, id))
		resume := steps.pause()
		_, err := cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("cont"), TemplateBody: body,
			Parameters: []cfntypes.Parameter{param("ImageReachable", "false")}})
		must(t, err)
		_, err = c.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(ids["Routes"]), DestinationCidrBlock: aws.String("0.0.0.0/0")})
		must(t, err)
		resume()
		waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackFailed, 20*time.Second)
		return n
	}
	n := failRollback()
	ev := eventsSince(t, cf, id, n)
	if !slices.Contains(ev, "cont UPDATE_ROLLBACK_FAILED The following resource(s) failed to update: [Service]. ") {
		t.Errorf("events:\n%s", strings.Join(ev, "\n"))
	}
	if _, err := cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("cont"), UsePreviousTemplate: aws.Bool(true)}); err == nil ||
		!strings.Contains(err.Error(), "UPDATE_ROLLBACK_FAILED state and can not be updated") {
		t.Errorf("UpdateStack in UPDATE_ROLLBACK_FAILED: %v", err)
	}
	n = len(stackEventsOf(t, cf, id))
	if e := continueErr("Nope"); !strings.Contains(e, "ResourcesToSkip [Nope] do not exist in stack cont") {
		t.Errorf("skipping an unknown resource: %q", e)
	}
	if e := continueErr("Service", "Vpc"); !strings.Contains(e, "Resources [Vpc] cannot be skipped") {
		t.Errorf("skipping a resource that did not fail: %q", e)
	}
	if ev := eventsSince(t, cf, id, n); len(ev) > 0 {
		t.Errorf("refused ContinueUpdateRollback recorded events: %q", ev)
	}

	// The route back: the rollback goes on and completes.
	_, err = c.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(ids["Routes"]), DestinationCidrBlock: aws.String("0.0.0.0/0"),
		GatewayId: aws.String(ids["Gateway"])})
	must(t, err)
	if e := continueErr(); e != "" {
		t.Fatal(e)
	}
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete, 20*time.Second)
	want := []string{"cont UPDATE_ROLLBACK_IN_PROGRESS User Initiated", "Service UPDATE_IN_PROGRESS ", "Service UPDATE_COMPLETE ",
		"cont UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS ", "cont UPDATE_ROLLBACK_COMPLETE "}
	if ev := eventsSince(t, cf, id, n); !slices.Equal(ev, want) {
		t.Errorf("events of the continued rollback:\n%s\nwant:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}
	sv, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(ids["Cluster"]), Services: []string{ids["Service"]}})
	must(t, err)
	if s := sv.Services[0]; s.RunningCount != 2 || len(s.Deployments) != 1 {
		t.Errorf("service after the rollback: %d running, %d deployments, want 2 and 1", s.RunningCount, len(s.Deployments))
	}

	// Again, skipping the service.
	failRollback()
	n = len(stackEventsOf(t, cf, id))
	if e := continueErr("Service"); e != "" {
		t.Fatal(e)
	}
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete, 20*time.Second)
	want = []string{"cont UPDATE_ROLLBACK_IN_PROGRESS User Initiated", "Service UPDATE_COMPLETE Resource skipped during rollback",
		"cont UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS ", "cont UPDATE_ROLLBACK_COMPLETE "}
	if ev := eventsSince(t, cf, id, n); !slices.Equal(ev, want) {
		t.Errorf("events of the rollback skipping Service:\n%s\nwant:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}
	if _, err := cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("cont"), TemplateBody: body,
		Parameters: []cfntypes.Parameter{param("ImageReachable", "true"), param("Breaker", "false")}}); err != nil {
		t.Errorf("UpdateStack after UPDATE_ROLLBACK_COMPLETE: %v", err)
	}
}

// TestCloudFormationContinueUpdateRollbackNested: the same failed
// rollback inside a nested stack. The nested stack ends
// UPDATE_ROLLBACK_FAILED with its parent (it stayed UPDATE_ROLLBACK_IN_PROGRESS
// for ever before), the parent's resource is named Svc, and
// ContinueUpdateRollback on the parent skipping "Svc.Service" completes
// both.
func TestCloudFormationContinueUpdateRollbackNested(t *testing.T) {
	em, steps := newSteppedEmulator(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	child, err := os.ReadFile("../cfn/testdata/sweep/service-stabilize.yaml")
	must(t, err)
	s3c := s3Client(em.URL, "us-east-1", true)
	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("templates29c")})
	must(t, err)
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("templates29c"), Key: aws.String("svc.yaml"), Body: strings.NewReader(string(child))})
	must(t, err)
	parent := `Parameters:
  Reachable: {Type: String, Default: "true"}
Resources:
  Svc:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://templates29c.s3.amazonaws.com/svc.yaml
      Parameters: {ImageReachable: !Ref Reachable}
`
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("outer"), TemplateBody: aws.String(parent)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStackFor(t, cf, id, cfntypes.StackStatusCreateComplete, 20*time.Second)
	nested := stackPhysicalIDs(t, cf, "outer")["Svc"]
	ids := stackPhysicalIDs(t, cf, nested)

	resume := steps.pause()
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("outer"), TemplateBody: aws.String(parent),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Reachable"), ParameterValue: aws.String("false")}}})
	must(t, err)
	_, err = c.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(ids["Routes"]), DestinationCidrBlock: aws.String("0.0.0.0/0")})
	must(t, err)
	resume()
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackFailed, 20*time.Second)
	if st := stackStatus(t, cf, nested); st != cfntypes.StackStatusUpdateRollbackFailed {
		t.Errorf("nested stack %s after its parent's rollback failed, want UPDATE_ROLLBACK_FAILED", st)
	}
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	if r := aws.ToString(ds.Stacks[0].StackStatusReason); r != "The following resource(s) failed to update: [Svc]. " {
		t.Errorf("parent's reason %q", r)
	}
	if _, err := cf.ContinueUpdateRollback(ctx, &cloudformation.ContinueUpdateRollbackInput{StackName: aws.String(nested)}); err == nil {
		t.Error("ContinueUpdateRollback naming the nested stack: no error")
	}
	_, err = cf.ContinueUpdateRollback(ctx, &cloudformation.ContinueUpdateRollbackInput{StackName: aws.String("outer"), ResourcesToSkip: []string{"Svc.Service"}})
	must(t, err)
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete, 20*time.Second)
	if st := stackStatus(t, cf, nested); st != cfntypes.StackStatusUpdateRollbackComplete {
		t.Errorf("nested stack %s after ContinueUpdateRollback, want UPDATE_ROLLBACK_COMPLETE", st)
	}
}
