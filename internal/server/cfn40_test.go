package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// TestRound40DeleteStackAgainWhileDeleting: a DeleteStack of a stack
// already DELETE_IN_PROGRESS (here Copilot's load balanced service, whose environment
// controller waits for the environment stack's update) is accepted, as
// the DeleteStack reference allows ("You might retry DeleteStack requests
// to ensure that CloudFormation successfully received them"), and changes
// nothing: no second "User Initiated" event, the delete under way ends
// DELETE_COMPLETE. Before round 40 it was refused, "Stack [x] cannot be
// deleted while in status DELETE_IN_PROGRESS".
func TestRound40DeleteStackAgainWhileDeleting(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	caps, env, _, envID, svcID := copilotEnvWithService(t, cf)
	var err error
	advanceUntil := func(id string, want cfntypes.StackStatus, rounds int) {
		t.Helper()
		advanceStackUntil(t, cf, clk, id, want, rounds)
	}
	advanceUntil(svcID, cfntypes.StackStatusCreateComplete, 30)
	advanceUntil(envID, cfntypes.StackStatusUpdateComplete, 10)

	// The environment's own update, monitored for three minutes, holds
	// the service's delete.
	env["ALBWorkloads"], env["EFSWorkloads"] = "fe", "legacy"
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(envID), UsePreviousTemplate: aws.Bool(true),
		Parameters: cfn37Params(env), Capabilities: caps,
		RollbackConfiguration: &cfntypes.RollbackConfiguration{MonitoringTimeInMinutes: aws.Int32(3)}})
	must(t, err)
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("my-app-test-fe")})
	must(t, err)
	if got := stackStatus(t, cf, svcID); got != cfntypes.StackStatusDeleteInProgress {
		logStackEvents(t, cf, svcID)
		t.Fatalf("service %s while the environment updates, want DELETE_IN_PROGRESS", got)
	}
	userInitiated := func() int {
		n := 0
		p := cloudformation.NewDescribeStackEventsPaginator(cf, &cloudformation.DescribeStackEventsInput{StackName: aws.String(svcID)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			must(t, err)
			for _, e := range out.StackEvents {
				if aws.ToString(e.LogicalResourceId) == "my-app-test-fe" && e.ResourceStatus == cfntypes.ResourceStatusDeleteInProgress {
					n++
				}
			}
		}
		return n
	}
	before := userInitiated()
	// Retried by name and by the stack's id: both accepted.
	for _, name := range []string{"my-app-test-fe", svcID} {
		if _, err := cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(name)}); err != nil {
			t.Fatalf("DeleteStack %s again while DELETE_IN_PROGRESS: %v", name, err)
		}
	}
	if got := stackStatus(t, cf, svcID); got != cfntypes.StackStatusDeleteInProgress {
		t.Fatalf("service %s after the retried DeleteStack, want DELETE_IN_PROGRESS", got)
	}
	if after := userInitiated(); after != before || before != 1 {
		t.Errorf("the stack's DELETE_IN_PROGRESS events: %d before the retries, %d after; want 1 and 1", before, after)
	}
	advanceUntil(svcID, cfntypes.StackStatusDeleteComplete, 10)
}
