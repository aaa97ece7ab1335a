package server_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// validationError fails t unless err is CloudFormation's ValidationError
// with message msg.
func validationError(t *testing.T, op string, err error, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != msg {
		t.Errorf("%s: %v, want ValidationError %q", op, err, msg)
	}
}

// TestCloudFormationUnrecognizedTypes: a template with a resource type
// CloudFormation does not have (a misspelled one, a made-up namespace, a
// third-party type not activated in the account, a SAM type without the
// SAM transform) is refused by ValidateTemplate, GetTemplateSummary,
// CreateStack, CreateChangeSet and UpdateStack with "Template format
// error: Unrecognized resource types: [...]" (every unknown type once,
// in template order), and nothing is made: no stack, no VPC, the updated
// stack as it was. A real type ecsnet does not model (AWS::SNS::Topic)
// still completes, with a status reason saying so.
func TestCloudFormationUnrecognizedTypes(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	const good = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.151.0.0/16}
  Key:
    Type: AWS::SNS::Topic
`
	const bad = good + `  Sub:
    Type: AWS::EC2::Subnett
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.151.1.0/24}
  Foo:
    Type: AWS::Foo::Bar
    Condition: Never
  Foo2:
    Type: AWS::Foo::Bar
  Atlas:
    Type: MongoDB::Atlas::Cluster
  Fn:
    Type: AWS::Serverless::Function
Conditions:
  Never: !Equals [a, b]
`
	const msg = "Template format error: Unrecognized resource types: [AWS::EC2::Subnett, AWS::Foo::Bar, MongoDB::Atlas::Cluster, AWS::Serverless::Function]"
	_, err := cf.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String(bad)})
	validationError(t, "ValidateTemplate", err, msg)
	_, err = cf.GetTemplateSummary(ctx, &cloudformation.GetTemplateSummaryInput{TemplateBody: aws.String(bad)})
	validationError(t, "GetTemplateSummary", err, msg)
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("unknown"), TemplateBody: aws.String(bad)})
	validationError(t, "CreateStack", err, msg)
	_, err = cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("unknown"), ChangeSetName: aws.String("cs"),
		ChangeSetType: cfntypes.ChangeSetTypeCreate, TemplateBody: aws.String(bad)})
	validationError(t, "CreateChangeSet", err, msg)
	if _, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("unknown")}); apiCode(err) != "ValidationError" {
		t.Errorf("DescribeStacks of the refused stack: %v, want ValidationError (no stack)", err)
	}
	vpcs := func() int {
		out, err := c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{
			{Name: aws.String("cidr"), Values: []string{"10.151.0.0/16"}}}})
		must(t, err)
		return len(out.Vpcs)
	}
	if n := vpcs(); n != 0 {
		t.Errorf("%d VPCs after the refusals, want 0", n)
	}

	// A real type ecsnet does not model completes with a reason.
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("known"), TemplateBody: aws.String(good)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	if !slices.ContainsFunc(stackEventsOf(t, cf, id), func(e string) bool {
		return strings.HasPrefix(e, "Key CREATE_COMPLETE ") && strings.Contains(e, "does not model AWS::SNS::Topic")
	}) {
		t.Errorf("events %q: want Key CREATE_COMPLETE with a reason saying ecsnet does not model it", stackEventsOf(t, cf, id))
	}
	n := len(stackEventsOf(t, cf, id))
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), TemplateBody: aws.String(bad)})
	validationError(t, "UpdateStack", err, msg)
	_, err = cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String(id), ChangeSetName: aws.String("upd"),
		ChangeSetType: cfntypes.ChangeSetTypeUpdate, TemplateBody: aws.String(bad)})
	validationError(t, "CreateChangeSet UPDATE", err, msg)
	if got := eventsSince(t, cf, id, n); len(got) != 0 {
		t.Errorf("events after the refused update: %q", got)
	}
	if n := vpcs(); n != 1 {
		t.Errorf("%d VPCs after the refused update, want the stack's 1", n)
	}

	// Under the SAM transform, SAM's types are known.
	sam := "Transform: AWS::Serverless-2016-10-31\n" + good + `  Fn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: index.handler, InlineCode: "def handler(e, c): pass"}
`
	if _, err := cf.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String(sam)}); err != nil {
		t.Errorf("ValidateTemplate of a SAM template: %v", err)
	}
}

// TestCloudFormationGetAttCheckedFirst: an Fn::GetAtt of an attribute the
// resource's type does not have fails the stack before anything is
// created, for every type CloudFormation has (the type's schema), not
// only those ecsnet models: the stack's ROLLBACK_IN_PROGRESS "[Error]
// /Outputs/Name/Value/Fn::GetAtt: Resource type AWS::S3::Bucket does not
// support attribute {BucketName}. Rollback requested by user." and no
// resource event, although the subnet before it would have failed (its
// block is outside the VPC's). An update likewise: its rollback has no
// resource events and the stack keeps what it had.
func TestCloudFormationGetAttCheckedFirst(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	const body = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.152.0.0/16}
  Sub:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.153.0.0/24}
  Bucket:
    Type: AWS::S3::Bucket
Outputs:
  Name:
    Value: !GetAtt Bucket.BucketName
`
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("getatt-first"), TemplateBody: aws.String(body)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	want := []string{
		"getatt-first CREATE_IN_PROGRESS User Initiated",
		"getatt-first ROLLBACK_IN_PROGRESS [Error] /Outputs/Name/Value/Fn::GetAtt: Resource type AWS::S3::Bucket does not support attribute {BucketName}. Rollback requested by user.",
		"getatt-first ROLLBACK_COMPLETE ",
	}
	if got := stackEventsOf(t, cf, id); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	const base = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.154.0.0/16}
`
	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("getatt-first-upd"), TemplateBody: aws.String(base)})
	must(t, err)
	id = aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	before := stackPhysicalIDs(t, cf, id)
	n := len(stackEventsOf(t, cf, id))
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), TemplateBody: aws.String(base + `  Sub:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.155.0.0/24}
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Sub '${Vpc.VpcArn}'
`)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	want = []string{
		"getatt-first-upd UPDATE_IN_PROGRESS User Initiated",
		"getatt-first-upd UPDATE_ROLLBACK_IN_PROGRESS [Error] /Resources/Topic/Properties/DisplayName/Fn::Sub: Resource type AWS::EC2::VPC does not support attribute {VpcArn}.",
		"getatt-first-upd UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS ",
		"getatt-first-upd UPDATE_ROLLBACK_COMPLETE ",
	}
	if got := eventsSince(t, cf, id, n); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("update events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if after := stackPhysicalIDs(t, cf, id); len(after) != 1 || after["Vpc"] != before["Vpc"] {
		t.Errorf("resources after the rolled-back update: %v, want %v", after, before)
	}
}

// TestCloudFormationRegionalTypes: a type CloudFormation has in other
// regions only is refused in the region that lacks it, with the same
// "Unrecognized resource types" text (Timestream's tables are not in
// ap-southeast-1, a Data Exports export is in us-east-1 only); the same
// template is accepted in us-east-1.
func TestCloudFormationRegionalTypes(t *testing.T) {
	em := newEmulator(t, nil)
	east := cfnClient(em.URL)
	sg := cloudformation.NewFromConfig(sdkConfig(), func(o *cloudformation.Options) {
		o.BaseEndpoint = aws.String(em.URL)
		o.Region = "ap-southeast-1"
	})
	const body = `Resources:
  Db:
    Type: AWS::Timestream::Database
  Table:
    Type: AWS::Timestream::Table
    Properties: {DatabaseName: !Ref Db}
  Export:
    Type: AWS::BCMDataExports::Export
  Queue:
    Type: AWS::SQS::Queue
`
	const msg = "Template format error: Unrecognized resource types: [AWS::Timestream::Database, AWS::Timestream::Table, AWS::BCMDataExports::Export]"
	_, err := sg.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String(body)})
	validationError(t, "ValidateTemplate in ap-southeast-1", err, msg)
	_, err = sg.GetTemplateSummary(ctx, &cloudformation.GetTemplateSummaryInput{TemplateBody: aws.String(body)})
	validationError(t, "GetTemplateSummary in ap-southeast-1", err, msg)
	_, err = sg.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("regional"), TemplateBody: aws.String(body)})
	validationError(t, "CreateStack in ap-southeast-1", err, msg)
	_, err = sg.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("regional"), ChangeSetName: aws.String("cs"),
		ChangeSetType: cfntypes.ChangeSetTypeCreate, TemplateBody: aws.String(body)})
	validationError(t, "CreateChangeSet in ap-southeast-1", err, msg)

	if _, err := east.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String(body)}); err != nil {
		t.Errorf("ValidateTemplate in us-east-1: %v", err)
	}
	out, err := east.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("regional"), TemplateBody: aws.String(body)})
	must(t, err)
	waitStack(t, east, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
}
