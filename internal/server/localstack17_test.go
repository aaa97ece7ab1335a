package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// Behaviours LocalStack's AWS-validated tests recorded from AWS
// (tests/aws/services/iam/test_iam_managed_policies.snapshot.json, recorded
// 2026-02-12; tests/aws/services/cloudformation/api/test_update_stack.snapshot.json,
// recorded 2022-11; docs/localstack-suite.md, round seventeen), through the Go SDK.

// A policy version id not of IAM's form (v1, v2, ...) is refused with
// ValidationError before the policy or its version is looked up; a
// well-formed id that does not exist stays NoSuchEntity. GetPolicy of an AWS
// managed policy answers an empty tag list.
func TestLocalStackPolicyVersionID(t *testing.T) {
	em := newAccount(t, nil)
	c := iamClient(em.URL)
	const badVersion = "1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?"
	awsArn := "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"

	_, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(awsArn), VersionId: aws.String("v2-does-not-exist")})
	wantAPIError(t, err, "ValidationError", badVersion)
	v, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(awsArn), VersionId: aws.String("v1")})
	must(t, err)
	if aws.ToString(v.PolicyVersion.VersionId) != "v1" || !v.PolicyVersion.IsDefaultVersion {
		t.Errorf("GetPolicyVersion v1: %#v", v.PolicyVersion)
	}
	g, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(awsArn)})
	must(t, err)
	if g.Policy.Tags == nil || len(g.Policy.Tags) != 0 {
		t.Errorf("GetPolicy of an AWS managed policy: Tags %#v, want an empty list", g.Policy.Tags)
	}

	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`
	p, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p1"), PolicyDocument: aws.String(doc)})
	must(t, err)
	arn := p.Policy.Arn
	for _, id := range []string{"v2-does-not-exist", "V1", "v0", "1"} {
		_, err = c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: arn, VersionId: aws.String(id)})
		wantAPIError(t, err, "ValidationError", badVersion)
		_, err = c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String(id)})
		wantAPIError(t, err, "ValidationError", badVersion)
		_, err = c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: aws.String(id)})
		wantAPIError(t, err, "ValidationError", badVersion)
	}
	// The form is checked before the policy is looked up.
	_, err = c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/none"), VersionId: aws.String("x")})
	wantAPIError(t, err, "ValidationError", badVersion)
	_, err = c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v9")})
	wantAPIError(t, err, "NoSuchEntity", "Policy "+aws.ToString(arn)+" version v9 does not exist or is not attachable.")
	_, err = c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v1.beta")})
	wantAPIError(t, err, "NoSuchEntity", "Policy "+aws.ToString(arn)+" version v1.beta does not exist or is not attachable.")
}

// ResourceTypes limits the resource types a template may hold (AWS::*,
// AWS::service::*, Custom::*, a full type name); RollbackConfiguration's
// triggers must be CloudWatch alarms named by their ARN. Both are refused
// by CreateStack, UpdateStack and CreateChangeSet, and the stack is left as
// it was.
func TestLocalStackStackResourceTypesAndRollbackTriggers(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	tmpl := `Parameters:
  Value: {Type: String}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Param:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !Ref Value}
`
	params := func(v string) []cfntypes.Parameter {
		return []cfntypes.Parameter{{ParameterKey: aws.String("Value"), ParameterValue: aws.String(v)}}
	}
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("rt"), TemplateBody: aws.String(tmpl),
		Parameters: params("a"), ResourceTypes: []string{"AWS::EC2::*"}})
	wantAPIError(t, err, "ValidationError", "Resource type AWS::SSM::Parameter is not allowed by parameter ResourceTypes [AWS::EC2::*]")
	_, err = cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("rt"), ChangeSetName: aws.String("cs"),
		ChangeSetType: cfntypes.ChangeSetTypeCreate, TemplateBody: aws.String(tmpl), Parameters: params("a"), ResourceTypes: []string{"AWS::EC2:*", "AWS::SSM::Parameter"}})
	wantAPIError(t, err, "ValidationError", "Resource type AWS::EC2::VPC is not allowed by parameter ResourceTypes [AWS::EC2:*, AWS::SSM::Parameter]")
	cs, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("rt"), TemplateBody: aws.String(tmpl),
		Parameters: params("a"), ResourceTypes: []string{"AWS::EC2::*", "AWS::SSM::Parameter"}})
	must(t, err)
	id := aws.ToString(cs.StackId)
	waitStack(t, cf, id, "CREATE_COMPLETE")

	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), UsePreviousTemplate: aws.Bool(true),
		Parameters: params("b"), ResourceTypes: []string{"AWS::EC2:*"}})
	wantAPIError(t, err, "ValidationError", "Resource type AWS::EC2::VPC is not allowed by parameter ResourceTypes [AWS::EC2:*]")
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), UsePreviousTemplate: aws.Bool(true),
		Parameters: params("b"), RollbackConfiguration: &cfntypes.RollbackConfiguration{RollbackTriggers: []cfntypes.RollbackTrigger{
			{Arn: aws.String("not-an-arn"), Type: aws.String("Another")}}}})
	wantAPIError(t, err, "ValidationError", "Rollback Trigger Type not supported")
	for _, arn := range []string{"arn:aws:cloudwatch:us-east-1:123456789012:example-name", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:", "not-an-arn"} {
		_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), UsePreviousTemplate: aws.Bool(true),
			Parameters: params("b"), RollbackConfiguration: &cfntypes.RollbackConfiguration{RollbackTriggers: []cfntypes.RollbackTrigger{
				{Arn: aws.String(arn), Type: aws.String("AWS::CloudWatch::Alarm")}}}})
		wantAPIError(t, err, "ValidationError", "RelativeId of a Rollback Trigger's ARN is incorrect")
	}
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	if st := ds.Stacks[0].StackStatus; st != "CREATE_COMPLETE" || aws.ToString(ds.Stacks[0].Parameters[0].ParameterValue) != "a" {
		t.Fatalf("after the refused updates: %s, parameters %#v", st, ds.Stacks[0].Parameters)
	}
	// The trigger's alarm must exist (round twenty-six: a missing one
	// rolls the update back, as the RollbackTrigger reference says).
	_, err = cloudwatchClient(em.URL).PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String("high-cpu"),
		ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold, EvaluationPeriods: aws.Int32(1), MetricName: aws.String("CPUUtilization"),
		Namespace: aws.String("AWS/EC2"), Statistic: cwtypes.StatisticAverage, Period: aws.Int32(60), Threshold: aws.Float64(90)})
	must(t, err)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), UsePreviousTemplate: aws.Bool(true),
		Parameters: params("b"), ResourceTypes: []string{"AWS::*"}, RollbackConfiguration: &cfntypes.RollbackConfiguration{RollbackTriggers: []cfntypes.RollbackTrigger{
			{Arn: aws.String("arn:aws:cloudwatch:us-east-1:123456789012:alarm:high-cpu"), Type: aws.String("AWS::CloudWatch::Alarm")}}}})
	must(t, err)
	waitStack(t, cf, id, "UPDATE_COMPLETE")
}
