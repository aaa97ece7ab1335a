package server_test

import (
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// Behaviours round thirty-seven (b) of LocalStack's AWS-validated tests
// found (docs/localstack-suite.md, "Round thirty-seven (b)"), through the
// Go SDK.

// Systems Manager's patch baselines, maintenance windows, their targets
// and tasks, and associations are not modeled, but their placeholder
// physical ids (what Ref returns) have the shape of the ids SSM gives
// them, not the Name property: a baseline "pb-" and 17 hexadecimal
// digits, a window "mw-" and 17, a target, task or association a UUID
// (tests/aws/services/cloudformation/resources/test_ssm.snapshot.json,
// test_deploy_patch_baseline and test_maintenance_window, recorded
// 2023-07: the baseline's physical id is not its Name; botocore's ssm
// model, the BaselineId, MaintenanceWindowId, MaintenanceWindowTargetId,
// MaintenanceWindowTaskId and AssociationId patterns).
func TestLocalStackCloudFormationSSMPlaceholderIDs(t *testing.T) {
	em := newEmulator(t, nil)
	c := cfnClient(em.URL)
	body := `Resources:
  Baseline:
    Type: AWS::SSM::PatchBaseline
    Properties: {Name: myPatchBaseline, OperatingSystem: WINDOWS}
  Window:
    Type: AWS::SSM::MaintenanceWindow
    Properties: {Name: patch-server-window, AllowUnassociatedTargets: false, Cutoff: 0, Duration: 1, Schedule: "cron(0 0 0 ? * * *)"}
  Target:
    Type: AWS::SSM::MaintenanceWindowTarget
    Properties:
      Name: patch-server-target
      WindowId: !Ref Window
      ResourceType: INSTANCE
      Targets: [{Key: "tag:Name", Values: [patch-server]}]
  Task:
    Type: AWS::SSM::MaintenanceWindowTask
    Properties:
      Name: patching-task
      Priority: 1
      TaskArn: AWS-RunPatchBaseline
      TaskType: RUN_COMMAND
      WindowId: !Ref Window
      Targets: [{Key: WindowTargetIds, Values: [!Ref Target]}]
  Association:
    Type: AWS::SSM::Association
    Properties: {Name: AWS-RunPatchBaseline}
`
	out, err := c.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("ssm-ids"), TemplateBody: aws.String(body)})
	must(t, err)
	waitStack(t, c, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
	uuid := `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`
	want := map[string]string{
		"Baseline":    `^pb-[0-9a-f]{17}$`,
		"Window":      `^mw-[0-9a-f]{17}$`,
		"Target":      uuid,
		"Task":        uuid,
		"Association": uuid,
	}
	res, err := c.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String("ssm-ids")})
	must(t, err)
	if len(res.StackResources) != len(want) {
		t.Fatalf("%d resources, want %d", len(res.StackResources), len(want))
	}
	for _, r := range res.StackResources {
		id, pattern := aws.ToString(r.PhysicalResourceId), want[aws.ToString(r.LogicalResourceId)]
		if !regexp.MustCompile(pattern).MatchString(id) {
			t.Errorf("%s (%s): physical id %q, want %s", aws.ToString(r.LogicalResourceId), aws.ToString(r.ResourceType), id, pattern)
		}
	}
}

// An UpdateStack of a template with a transform and nothing changed is
// not refused "No updates are to be performed.": the transform runs again
// and the update completes (tests/aws/services/cloudformation/api/
// test_stacks.py, test_update_stack_with_same_template_withoutchange_transformation,
// AWS-validated: "transformations will always work even if there's no
// change in the template!"). Without a transform it still is refused.
func TestLocalStackCloudFormationUnchangedUpdateWithTransform(t *testing.T) {
	em := newEmulator(t, nil)
	c := cfnClient(em.URL)
	transformed := "Transform: AWS::Serverless-2016-10-31\nResources:\n  MyTopic:\n    Type: AWS::SNS::Topic\n"
	plain := "Resources:\n  MyTopic:\n    Type: AWS::SNS::Topic\n"
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityAutoExpand}
	for name, body := range map[string]string{"transformed": transformed, "plain": plain} {
		out, err := c.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(body), Capabilities: caps})
		must(t, err)
		waitStack(t, c, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
	}
	out, err := c.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("transformed"), TemplateBody: aws.String(transformed), Capabilities: caps})
	if err != nil {
		t.Fatalf("UpdateStack of an unchanged template with a transform: %v, want the update to run", err)
	}
	waitStack(t, c, aws.ToString(out.StackId), cfntypes.StackStatusUpdateComplete)
	_, err = c.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("plain"), TemplateBody: aws.String(plain), Capabilities: caps})
	wantAPIError(t, err, "ValidationError", "No updates are to be performed.")
}
