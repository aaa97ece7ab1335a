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
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecsnet/ecsnet/internal/server"
)

// sweepTemplate reads a template of internal/cfn/testdata/sweep.
func sweepTemplate(t *testing.T, name string) *string {
	t.Helper()
	b, err := os.ReadFile("../cfn/testdata/sweep/" + name)
	must(t, err)
	return aws.String(string(b))
}

// stackEventsOf returns a stack's events, oldest first, as
// "LOGICALID STATUS REASON".
func stackEventsOf(t *testing.T, cf *cloudformation.Client, id string) []string {
	t.Helper()
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(id)})
	must(t, err)
	var out []string
	for i := len(ev.StackEvents) - 1; i >= 0; i-- {
		e := ev.StackEvents[i]
		out = append(out, aws.ToString(e.LogicalResourceId)+" "+string(e.ResourceStatus)+" "+aws.ToString(e.ResourceStatusReason))
	}
	return out
}

// TestCloudFormationServiceStabilizes: a create waits for its ECS services
// to stabilize, as CloudFormation does. A service whose tasks cannot pull
// their image fails when its deployment circuit breaker trips, with
// CloudFormation's text, and the stack rolls back; one without the
// breaker fails when the wait times out (--stack-stabilize-timeout); one
// whose tasks start completes the stack, with its tasks running.
func TestCloudFormationServiceStabilizes(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: 3 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	create := func(name string, params map[string]string) string {
		var ps []cfntypes.Parameter
		for k, v := range params {
			ps = append(ps, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
		}
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name),
			TemplateBody: sweepTemplate(t, "service-stabilize.yaml"), Parameters: ps})
		must(t, err)
		return aws.ToString(out.StackId)
	}
	failedReason := func(events []string) string {
		for _, e := range events {
			if rest, ok := strings.CutPrefix(e, "Service CREATE_FAILED "); ok {
				return rest
			}
		}
		return ""
	}

	// The breaker trips: CREATE_IN_PROGRESS meanwhile, then the rollback.
	id := create("breaker", map[string]string{"Breaker": "true"})
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	// On a loaded machine the breaker may already have tripped: the
	// stack is then rolling back, and has no outputs either.
	switch st := ds.Stacks[0].StackStatus; {
	case st == cfntypes.StackStatusCreateComplete || len(ds.Stacks[0].Outputs) != 0:
		t.Errorf("just created: %s with %d outputs, want CREATE_IN_PROGRESS (waiting for the service) and no outputs", st, len(ds.Stacks[0].Outputs))
	case st != cfntypes.StackStatusCreateInProgress:
		t.Logf("just created: already %s", st)
	}
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	events := stackEventsOf(t, cf, id)
	if r := failedReason(events); !strings.Contains(r, "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.") ||
		!strings.Contains(r, "HandlerErrorCode: GeneralServiceException") {
		t.Errorf("the service's failure = %q, want the circuit breaker's (events %q)", r, events)
	}
	ds, err = cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	if r := aws.ToString(ds.Stacks[0].StackStatusReason); r != "The following resource(s) failed to create: [Service]. Rollback requested by user." {
		t.Errorf("stack reason = %q", r)
	}
	if !slices.Contains(events, "Service DELETE_COMPLETE ") || !slices.Contains(events, "Cluster DELETE_COMPLETE ") {
		t.Errorf("events = %q, want the service and its cluster deleted by the rollback", events)
	}

	// No breaker: the wait times out.
	start := time.Now()
	id = create("nobreaker", map[string]string{"Breaker": "false"})
	waitStackFor(t, cf, id, cfntypes.StackStatusRollbackComplete, 15*time.Second)
	if d := time.Since(start); d < 3*time.Second {
		t.Errorf("the stack failed after %s, before the 3 s timeout", d)
	}
	if r := failedReason(stackEventsOf(t, cf, id)); !strings.HasPrefix(r, "Service arn:aws:ecs:us-east-1:123456789012:service/") || !strings.HasSuffix(r, " did not stabilize.") {
		t.Errorf("the service's failure = %q, want CloudFormation's did not stabilize", r)
	}

	// The image is reachable: the service starts, the stack completes.
	id = create("starts", map[string]string{"Breaker": "true", "ImageReachable": "true"})
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	outs := stackOutputs(t, cf, "starts")
	sv, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(outs["Cluster"]), Services: []string{outs["Service"]}})
	must(t, err)
	if len(sv.Services) != 1 || sv.Services[0].RunningCount != 2 {
		t.Errorf("service = %+v, want 2 tasks running when the stack completes", sv.Services)
	}
	events = stackEventsOf(t, cf, id)
	if last := events[len(events)-1]; last != "starts CREATE_COMPLETE " || !slices.Contains(events, "Service CREATE_COMPLETE ") {
		t.Errorf("events = %q, want the service's CREATE_COMPLETE and the stack's last", events)
	}
}

// waitStackFor is waitStack with a deadline of its own, d (never less
// than patience: a loaded machine steps slowly).
func waitStackFor(t *testing.T, cf *cloudformation.Client, id string, want cfntypes.StackStatus, d time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(max(d, patience)); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
		must(t, err)
		st := ds.Stacks[0].StackStatus
		if st == want {
			return
		}
		if !strings.HasSuffix(string(st), "_IN_PROGRESS") {
			t.Fatalf("stack %s: %s (%s), want %s", id, st, aws.ToString(ds.Stacks[0].StackStatusReason), want)
		}
	}
	t.Fatalf("stack %s never reached %s", id, want)
}

// TestCloudFormationUnknownProperty: a property the resource's type does
// not have fails the stack as CloudFormation's validation of its resources
// does, before anything is created: the resource CREATE_FAILED with the
// schema's message, the stack rolled back ("Validation failed for
// following resources").
func TestCloudFormationUnknownProperty(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("typo"), TemplateBody: sweepTemplate(t, "unknown-property.yaml")})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	if r := aws.ToString(ds.Stacks[0].StackStatusReason); r != "Validation failed for following resources: [Group]. Rollback requested by user." {
		t.Errorf("stack reason = %q", r)
	}
	events := stackEventsOf(t, cf, id)
	want := []string{"typo CREATE_IN_PROGRESS User Initiated",
		"Group CREATE_FAILED Properties validation failed for resource Group with message: [#: extraneous key [HealthCheckPth] is not permitted]",
		"typo ROLLBACK_IN_PROGRESS Validation failed for following resources: [Group]. Rollback requested by user.",
		"Group DELETE_COMPLETE ", "typo ROLLBACK_COMPLETE "}
	if !slices.Equal(events, want) {
		t.Errorf("events = %q\nwant %q", events, want)
	}
}
