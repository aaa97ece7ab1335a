package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// Behaviours LocalStack's AWS-validated tests recorded from AWS, round
// twenty-one (docs/localstack-suite.md), through the Go SDK.

// Ref of an AWS::EC2::SecurityGroup declared without VpcId is the group's
// name; with VpcId, its id; Fn::GetAtt GroupId is the id either way
// (tests/aws/services/cloudformation/resources/test_ec2.snapshot.json,
// test_ec2_security_group_id_with_vpc, recorded 2024-07-19). The name
// keeps working where CloudFormation accepts group names (a launch
// template's SecurityGroups), and it stays the Ref after an update that
// leaves the group alone.
func TestLocalStackSecurityGroupRefWithoutVpc(t *testing.T) {
	em := newAccount(t, nil)
	cf, e := cfnClient(em.URL), sdkClients(em.URL).ec2
	tmpl := `Parameters:
  Env: {Type: String, Default: a}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/24}
  WithoutVpc:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: Group without assigned VPC}
  WithVpc:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Group with assigned VPC
      VpcId: !Ref Vpc
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        SecurityGroups: [!Ref WithoutVpc]
Outputs:
  WithoutRef: {Value: !Ref WithoutVpc}
  WithoutId: {Value: !GetAtt WithoutVpc.GroupId}
  WithRef: {Value: !Ref WithVpc}
  WithId: {Value: !GetAtt WithVpc.GroupId}
  Env: {Value: !Ref Env}
`
	cs, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("sgref"), TemplateBody: aws.String(tmpl)})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), "CREATE_COMPLETE")
	check := func(when string) {
		t.Helper()
		out := stackOutputs(t, cf, "sgref")
		if !strings.HasPrefix(out["WithoutId"], "sg-") || out["WithRef"] != out["WithId"] || !strings.HasPrefix(out["WithId"], "sg-") {
			t.Fatalf("%s: outputs %v", when, out)
		}
		g, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{out["WithoutId"]}})
		must(t, err)
		if name := aws.ToString(g.SecurityGroups[0].GroupName); out["WithoutRef"] != name || strings.HasPrefix(name, "sg-") {
			t.Errorf("%s: Ref of the group without VpcId = %q, want its name %q", when, out["WithoutRef"], name)
		}
	}
	check("create")
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("sgref"), UsePreviousTemplate: aws.Bool(true),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Env"), ParameterValue: aws.String("b")}}})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), "UPDATE_COMPLETE")
	check("update")
}
