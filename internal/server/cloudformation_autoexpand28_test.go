package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// UpdateStack straight to a template with a macro (a Transform, here
// AWS::LanguageExtensions) needs CAPABILITY_AUTO_EXPAND, as CreateStack
// does; a change set of it needs none (the change set shows the expanded
// template before anything runs).
func TestCloudFormationAutoExpandOnUpdate(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	plain := "Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: a}\n"
	macro := "Transform: AWS::LanguageExtensions\n" + strings.Replace(plain, "Value: a", "Value: b", 1)
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("s"), TemplateBody: aws.String(plain)})
	must(t, err)
	waitStack(t, cf, "s", cfntypes.StackStatusCreateComplete)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("s"), TemplateBody: aws.String(macro)})
	if err == nil || !strings.Contains(err.Error(), "InsufficientCapabilitiesException: Requires capabilities : [CAPABILITY_AUTO_EXPAND]") {
		t.Fatalf("UpdateStack to a template with a transform, no CAPABILITY_AUTO_EXPAND: %v", err)
	}
	_, err = cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("s"), ChangeSetName: aws.String("c"),
		TemplateBody: aws.String(macro)})
	must(t, err)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("s"), TemplateBody: aws.String(macro),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityAutoExpand}})
	must(t, err)
	waitStack(t, cf, "s", cfntypes.StackStatusUpdateComplete)
}
