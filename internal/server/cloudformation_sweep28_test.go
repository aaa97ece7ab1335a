package server_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// TestCloudFormationRound28BlueGreenTransform: a change set of a template
// with the AWS::CodeDeployBlueGreen transform and its hook (as AWS's
// blue/green example) executes: the stack is CREATE_COMPLETE and its
// EXTERNAL service runs the blue task set, PRIMARY, at 100%. A hook the
// transform cannot parse (TaskSets beside ECSAttributes, as
// jbennett7/ecs-codepipeline's BlueGreen.yml writes it) does not fail
// CreateChangeSet: the change set is created and FAILED with the
// transform's reason, the stack stays REVIEW_IN_PROGRESS, as
// cloudformation-coverage-roadmap#1479 shows `aws cloudformation deploy`
// reporting it. Before round twenty-eight both were a ValidationError
// ("Transform AWS::CodeDeployBlueGreen is not supported").
func TestCloudFormationRound28BlueGreenTransform(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep28/bluegreen.yaml")
	must(t, err)

	cs, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("shop"), ChangeSetName: aws.String("first"),
		ChangeSetType: cfntypes.ChangeSetTypeCreate, TemplateBody: aws.String(string(body))})
	must(t, err)
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), cfntypes.StackStatusCreateComplete)
	res, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String("shop"), LogicalResourceId: aws.String("Shop")})
	must(t, err)
	cluster, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String("shop"), LogicalResourceId: aws.String("Cluster")})
	must(t, err)
	svcs, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: cluster.StackResourceDetail.PhysicalResourceId,
		Services: []string{aws.ToString(res.StackResourceDetail.PhysicalResourceId)}})
	must(t, err)
	if len(svcs.Services) != 1 {
		t.Fatalf("services: %+v", svcs)
	}
	svc := svcs.Services[0]
	if svc.DeploymentController == nil || svc.DeploymentController.Type != ecstypes.DeploymentControllerTypeExternal ||
		len(svc.TaskSets) != 1 || aws.ToString(svc.TaskSets[0].Status) != "PRIMARY" || svc.TaskSets[0].ComputedDesiredCount != 2 {
		t.Errorf("service: controller %+v, task sets %+v", svc.DeploymentController, svc.TaskSets)
	}

	broken := strings.Replace(string(body),
		"          ECSAttributes:\n            TaskDefinitions: [ShopTaskBlue, ShopTaskGreen]\n            TaskSets: [ShopSetBlue, ShopSetGreen]\n",
		"          TaskSets: [ShopSetBlue, ShopSetGreen]\n          ECSAttributes:\n            TaskDefinitions: [ShopTaskBlue, ShopTaskGreen]\n", 1)
	if broken == string(body) {
		t.Fatal("fixture changed")
	}
	cs, err = cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("shop2"), ChangeSetName: aws.String("first"),
		ChangeSetType: cfntypes.ChangeSetTypeCreate, TemplateBody: aws.String(broken)})
	must(t, err)
	got, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: cs.Id})
	must(t, err)
	const reason = `Transform AWS::CodeDeployBlueGreen failed with: Failed to transform template. Failed to parse the "Hooks" section for the provided template. Please ensure the AWS::CodeDeploy::BlueGreen Hook matches the expected schema.`
	if got.Status != cfntypes.ChangeSetStatusFailed || aws.ToString(got.StatusReason) != reason || got.ExecutionStatus != cfntypes.ExecutionStatusUnavailable {
		t.Errorf("change set: %s %s %q, want FAILED UNAVAILABLE %q", got.Status, got.ExecutionStatus, aws.ToString(got.StatusReason), reason)
	}
	if st := stackStatus(t, cf, aws.ToString(cs.StackId)); st != cfntypes.StackStatusReviewInProgress {
		t.Errorf("stack %s, want REVIEW_IN_PROGRESS", st)
	}
	if _, err := cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id}); err == nil {
		t.Error("a FAILED change set executed")
	}
}

// TestCloudFormationRound28SAMUnpackaged: a SAM template deployed before
// `sam package` (a function's CodeUri a local folder, an Image function
// without ImageUri) passes ValidateTemplate, which runs no transform, and
// fails its change set with the transform's reason, the message
// `aws cloudformation deploy` users quote ("Transform
// AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application
// Specification document. Number of errors found: 1. Resource with id
// [HelloWorldFunction] is invalid. 'CodeUri' is not a valid S3 Uri …").
// Before round twenty-eight the stack was created.
func TestCloudFormationRound28SAMUnpackaged(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep28/sam-functions.yaml")
	must(t, err)
	v, err := cf.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String(string(body))})
	must(t, err)
	if len(v.DeclaredTransforms) != 1 || v.DeclaredTransforms[0] != "AWS::Serverless-2016-10-31" {
		t.Errorf("DeclaredTransforms %v", v.DeclaredTransforms)
	}
	cs, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("reports"), ChangeSetName: aws.String("first"),
		ChangeSetType: cfntypes.ChangeSetTypeCreate, TemplateBody: aws.String(string(body)), Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	got, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: cs.Id})
	must(t, err)
	const reason = "Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 2. " +
		"Resource with id [Launcher] is invalid. 'CodeUri' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter. " +
		"Resource with id [Renderer] is invalid. 'ImageUri' must be set."
	if got.Status != cfntypes.ChangeSetStatusFailed || aws.ToString(got.StatusReason) != reason {
		t.Errorf("change set %s %q, want FAILED %q", got.Status, aws.ToString(got.StatusReason), reason)
	}
}

// TestCloudFormationRound28FluentBitParameter: the public parameter
// /aws/service/aws-for-fluent-bit/stable answers GetParameter with AWS
// for Fluent Bit's image URI in the region, and a template whose FireLens
// router reads it (the CDK's firelens integration test does, with
// …/latest) deploys with the router running that image. Before round
// twenty-eight the parameter did not exist and CreateStack was refused
// ("Unable to fetch parameters [/aws/service/aws-for-fluent-bit/stable]
// from parameter store for this account."). The web container's log
// options keep their string values: a template's `auto_create_group:
// "true"` made DescribeTaskDefinition answer HTTP 500 before.
func TestCloudFormationRound28FluentBitParameter(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	const image = "906394416424.dkr.ecr.us-east-1.amazonaws.com/aws-for-fluent-bit:stable"
	p, err := ssmClient(em.URL).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/aws/service/aws-for-fluent-bit/stable")})
	must(t, err)
	if aws.ToString(p.Parameter.Value) != image {
		t.Errorf("GetParameter = %q, want %q", aws.ToString(p.Parameter.Value), image)
	}
	body, err := os.ReadFile("../cfn/testdata/sweep28/firelens.yaml")
	must(t, err)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("logs"), TemplateBody: aws.String(string(body)),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
	res, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String("logs"), LogicalResourceId: aws.String("WebTask")})
	must(t, err)
	td, err := sdkClients(em.URL).ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: res.StackResourceDetail.PhysicalResourceId})
	must(t, err)
	if c := td.TaskDefinition.ContainerDefinitions; len(c) != 2 || aws.ToString(c[1].Image) != image {
		t.Errorf("the router's image: %+v", c)
	} else if lc := c[0].LogConfiguration; lc == nil || lc.LogDriver != ecstypes.LogDriverAwsfirelens || lc.Options["auto_create_group"] != "true" {
		// A log option written "true" is the string "true" (before,
		// DescribeTaskDefinition answered 500: a bool where the model
		// has a string).
		t.Errorf("the web container's log configuration: %+v", lc)
	}
}
