package server_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// TestCloudFormationFixes26PolicyTimeout: a CreationPolicy's ResourceSignal
// Timeout longer than 12 hours, or not an ISO 8601 duration, fails the
// resource before it is made (CREATE_FAILED naming the value) and the stack
// rolls back; before, a malformed one was read as PT5M and one of PT13H
// waited 13 hours. PT12H, here given by a parameter, still waits.
func TestCloudFormationFixes26PolicyTimeout(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/signalwait/instance.yaml")
	must(t, err)
	for _, c := range []struct{ timeout, want string }{
		{"PT13H", `Invalid CreationPolicy ResourceSignal Timeout "PT13H": the maximum is 12 hours (PT12H)`},
		{"P1D", `Invalid CreationPolicy ResourceSignal Timeout "P1D": the maximum is 12 hours (PT12H)`},
		{"15M", `Invalid CreationPolicy ResourceSignal Timeout "15M": it must be an ISO 8601 duration of the form PT#H#M#S`},
	} {
		name := "timeout-" + strings.ToLower(c.timeout)
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name),
			TemplateBody: aws.String(strings.Replace(string(body), "Timeout: PT15M", "Timeout: "+c.timeout, 1))})
		must(t, err)
		id := aws.ToString(out.StackId)
		waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
		if reason := failedEvent(t, cf, id, "Host"); reason != c.want {
			t.Errorf("Timeout %s: Host failed with %q, want %q", c.timeout, reason, c.want)
		}
	}
	byParam := strings.Replace(strings.Replace(string(body), "Timeout: PT15M", "Timeout: !Ref Wait", 1),
		"Parameters:\n", "Parameters:\n  Wait:\n    Type: String\n    Default: PT12H\n", 1)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("timeout-param"), TemplateBody: aws.String(byParam)})
	must(t, err)
	id := aws.ToString(out.StackId)
	clk.Advance(11 * time.Hour)
	time.Sleep(100 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("Timeout PT12H from a parameter, 11 hours on: %s, want CREATE_IN_PROGRESS", st)
	}
	clk.Advance(2 * time.Hour)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason, want := failedEvent(t, cf, id, "Host"), "Failed to receive 1 resource signal(s) within the specified duration"; reason != want {
		t.Errorf("Host failed with %q, want %q", reason, want)
	}
}
