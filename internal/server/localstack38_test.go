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
