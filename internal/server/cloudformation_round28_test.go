package server_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ecsnet/ecsnet/internal/server"
)

// TestCloudFormationRound28NestedHoldsOwnDependents: inside a nested
// stack, what depends on the stack's ECS service (the parameter recording
// its name) is created only once the service has stabilized, as at top
// level: the nested stack's events show WebService CREATE_COMPLETE before
// ServiceName CREATE_IN_PROGRESS, then the nested stack's CREATE_COMPLETE;
// the parent's App completes after, then Recorded (which reads the nested
// stack's output). When the service's circuit breaker trips, the nested
// stack's ServiceName is never created. Before round twenty-eight the
// nested stack created ServiceName at once, before the service had a task.
func TestCloudFormationRound28NestedHoldsOwnDependents(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	putNestedServiceTemplate(t, em.URL)
	create := func(name, online string) (string, string) {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(nestedServiceParent),
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Online"), ParameterValue: aws.String(online)}}})
		must(t, err)
		r, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: out.StackId, LogicalResourceId: aws.String("App")})
		must(t, err)
		return aws.ToString(out.StackId), aws.ToString(r.StackResourceDetail.PhysicalResourceId)
	}
	ok, nested := create("outer28", "true")
	// While the service stabilizes, its dependent does not exist.
	if ev := stackEventsOf(t, cf, nested); slices.ContainsFunc(ev, func(e string) bool { return strings.HasPrefix(e, "ServiceName ") }) {
		t.Errorf("nested stack events before the service is stable:\n%s\nwant no ServiceName yet", strings.Join(ev, "\n"))
	}
	waitStack(t, cf, ok, cfntypes.StackStatusCreateComplete)
	if st := stackStatus(t, cf, nested); st != cfntypes.StackStatusCreateComplete {
		t.Errorf("the nested stack: %s, want CREATE_COMPLETE", st)
	}
	ev := stackEventsOf(t, cf, nested)
	svc, param := slices.Index(ev, "WebService CREATE_COMPLETE "), slices.Index(ev, "ServiceName CREATE_IN_PROGRESS ")
	done := slices.Index(ev, "ServiceName CREATE_COMPLETE ")
	last := ev[len(ev)-1]
	if svc < 0 || param < svc || done < param || !strings.HasPrefix(last, "outer28-App-") || !strings.HasSuffix(last, " CREATE_COMPLETE ") {
		t.Errorf("nested stack events:\n%s\nwant WebService CREATE_COMPLETE, then ServiceName created, then the stack's CREATE_COMPLETE", strings.Join(ev, "\n"))
	}
	ev = stackEventsOf(t, cf, ok)
	if app, rec := slices.Index(ev, "App CREATE_COMPLETE "), slices.Index(ev, "Recorded CREATE_IN_PROGRESS "); app < 0 || rec < app {
		t.Errorf("parent events:\n%s\nwant App CREATE_COMPLETE before Recorded", strings.Join(ev, "\n"))
	}
	if strings.Count(strings.Join(ev, "\n"), "App CREATE_COMPLETE") != 1 {
		t.Errorf("parent events:\n%s\nwant one App CREATE_COMPLETE", strings.Join(ev, "\n"))
	}
	// The nested stack's output, and the parent's resource reading it.
	outs := stackOutputs(t, cf, nested)
	if !strings.HasPrefix(outs["ServiceName"], "outer28-App-") {
		t.Errorf("nested outputs %v, want the service's name", outs)
	}
	rd, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(ok), LogicalResourceId: aws.String("Recorded")})
	must(t, err)
	p, err := ssmClient(em.URL).GetParameter(ctx, &ssm.GetParameterInput{Name: rd.StackResourceDetail.PhysicalResourceId})
	must(t, err)
	if got := aws.ToString(p.Parameter.Value); got != outs["ServiceName"] {
		t.Errorf("Recorded holds %q, want the nested stack's output %q", got, outs["ServiceName"])
	}

	bad, nested := create("outer28-offline", "false")
	waitStack(t, cf, bad, cfntypes.StackStatusRollbackComplete)
	for _, e := range stackEventsOf(t, cf, nested) {
		if strings.HasPrefix(e, "ServiceName ") {
			t.Errorf("the nested parameter that depends on the failed service was created: %s", e)
		}
	}
}

// TestCloudFormationRound28NestedFailsInItsOwnEvents: a nested stack whose
// ECS service fails to stabilize (its circuit breaker trips, in the
// background step) fails in its own events as CloudFormation shows them:
// WebService CREATE_FAILED with the breaker's reason, the nested stack
// ROLLBACK_IN_PROGRESS "The following resource(s) failed to create:
// [WebService]. Rollback requested by user.", its resources' deletion,
// ROLLBACK_COMPLETE, and then the parent's rollback deletes it
// (DELETE_IN_PROGRESS, DELETE_COMPLETE). With OnFailure DO_NOTHING the
// nested stack is CREATE_FAILED with that reason. Before round
// twenty-eight the nested stack went from CREATE_IN_PROGRESS straight to
// DELETE_COMPLETE (DO_NOTHING: it stayed CREATE_IN_PROGRESS).
func TestCloudFormationRound28NestedFailsInItsOwnEvents(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	putNestedServiceTemplate(t, em.URL)
	create := func(name string, onFailure cfntypes.OnFailure) (string, string) {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(nestedServiceParent),
			OnFailure:  onFailure,
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Online"), ParameterValue: aws.String("false")}}})
		must(t, err)
		r, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: out.StackId, LogicalResourceId: aws.String("App")})
		must(t, err)
		return aws.ToString(out.StackId), aws.ToString(r.StackResourceDetail.PhysicalResourceId)
	}
	reason := "The following resource(s) failed to create: [WebService]. "
	id, nested := create("fail28", cfntypes.OnFailureRollback)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	ev := stackEventsOf(t, cf, nested)
	name := ev[0][:strings.Index(ev[0], " ")]
	at := func(e string) int { return slices.Index(ev, e) }
	failed := slices.IndexFunc(ev, func(e string) bool {
		return strings.HasPrefix(e, "WebService CREATE_FAILED ") && strings.Contains(e, "ECS Deployment Circuit Breaker was triggered")
	})
	rollback := at(name + " ROLLBACK_IN_PROGRESS " + reason + "Rollback requested by user.")
	deleted := at("WebService DELETE_COMPLETE ")
	done := at(name + " ROLLBACK_COMPLETE ")
	delStart, delDone := at(name+" DELETE_IN_PROGRESS User Initiated"), at(name+" DELETE_COMPLETE ")
	if failed < 0 || rollback < failed || deleted < rollback || done < deleted || delStart < done || delDone < delStart || delDone != len(ev)-1 {
		t.Errorf("nested stack events:\n%s\nwant WebService CREATE_FAILED, ROLLBACK_IN_PROGRESS %q, the deletion, ROLLBACK_COMPLETE, then DELETE_IN_PROGRESS and DELETE_COMPLETE", strings.Join(ev, "\n"), reason)
	}
	if st := stackStatus(t, cf, nested); st != cfntypes.StackStatusDeleteComplete {
		t.Errorf("the nested stack after the parent's rollback: %s, want DELETE_COMPLETE", st)
	}

	id, nested = create("fail28-keep", cfntypes.OnFailureDoNothing)
	waitStack(t, cf, id, cfntypes.StackStatusCreateFailed)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(nested)})
	must(t, err)
	if st := ds.Stacks[0]; st.StackStatus != cfntypes.StackStatusCreateFailed || aws.ToString(st.StackStatusReason) != reason {
		t.Errorf("the nested stack with DO_NOTHING: %s %q, want CREATE_FAILED %q", st.StackStatus, aws.ToString(st.StackStatusReason), reason)
	}
	if ev := stackEventsOf(t, cf, nested); !slices.Contains(ev, ev[0][:strings.Index(ev[0], " ")]+" CREATE_FAILED "+reason) {
		t.Errorf("nested stack events:\n%s\nwant its CREATE_FAILED %q", strings.Join(ev, "\n"), reason)
	}
}
