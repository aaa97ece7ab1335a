package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// TestCloudFormationRequiredPropertyReason: a resource without a required
// property fails with CloudFormation's text, "Property validation failure:
// [The property {/Type} is required]", through the Go SDK.
func TestCloudFormationRequiredPropertyReason(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("req"), TemplateBody: aws.String(`
Resources:
  MyParameter:
    Type: AWS::SSM::Parameter
    Properties:
      Value: abc123
`)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	events := stackEventsOf(t, cf, id)
	want := "MyParameter CREATE_FAILED Property validation failure: [The property {/Type} is required]"
	if !slices.Contains(events, want) {
		t.Errorf("events:\n%s\nwant the event %q", strings.Join(events, "\n"), want)
	}
}
