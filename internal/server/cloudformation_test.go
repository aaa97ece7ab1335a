package server_test

import (
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

func cfnClient(url string) *cloudformation.Client {
	return cloudformation.NewFromConfig(sdkConfig(), func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(url) })
}

const persistedTemplate = `
Parameters:
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.50.0.0/16}
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
  Http:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}
Outputs:
  VpcId:
    Value: !Ref Vpc
    Export: {Name: persisted-vpc}
  Ami:
    Value: !Ref Ami
`

// TestCloudFormationPersists creates a stack and a parameter through the
// Go SDK, kills the server with SIGKILL, and reads both back from a new
// server on the same state file; the stack then deletes everything it
// built (the ids deleting needs were persisted too).
func TestCloudFormationPersists(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.db")
	p := startServe(t, "--state", state)
	cf := cfnClient(p.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("persisted"), TemplateBody: aws.String(persistedTemplate),
		Tags: []cfntypes.Tag{{Key: aws.String("team"), Value: aws.String("web")}}})
	must(t, err)
	_, err = ssmClient(p.URL).PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/persisted"), Value: aws.String("v1"), Type: ssmtypes.ParameterTypeString})
	must(t, err)
	p.kill9(t)

	q := startServe(t, "--state", state)
	cf = cfnClient(q.URL)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("persisted")})
	must(t, err)
	s := ds.Stacks[0]
	if aws.ToString(s.StackId) != aws.ToString(out.StackId) || s.StackStatus != cfntypes.StackStatusCreateComplete || len(s.Tags) != 1 {
		t.Fatalf("stack after restart: %s %s %v", aws.ToString(s.StackId), s.StackStatus, s.Tags)
	}
	outputs := map[string]string{}
	for _, o := range s.Outputs {
		outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	ami, err := ssmClient(q.URL).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id")})
	must(t, err)
	if outputs["Ami"] != aws.ToString(ami.Parameter.Value) {
		t.Errorf("the SSM parameter type resolved to %q, Parameter Store has %q", outputs["Ami"], aws.ToString(ami.Parameter.Value))
	}
	for _, p := range s.Parameters {
		if aws.ToString(p.ParameterKey) == "Ami" && aws.ToString(p.ResolvedValue) != outputs["Ami"] {
			t.Errorf("Ami parameter: value %s, resolved %s", aws.ToString(p.ParameterValue), aws.ToString(p.ResolvedValue))
		}
	}
	ex, err := cf.ListExports(ctx, &cloudformation.ListExportsInput{})
	must(t, err)
	if len(ex.Exports) != 1 || aws.ToString(ex.Exports[0].Value) != outputs["VpcId"] {
		t.Errorf("exports after restart: %+v", ex.Exports)
	}
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("persisted")})
	must(t, err)
	if len(ev.StackEvents) < 10 || ev.StackEvents[0].ResourceStatus != cfntypes.ResourceStatusCreateComplete ||
		aws.ToString(ev.StackEvents[0].LogicalResourceId) != "persisted" {
		t.Errorf("events after restart: %d, newest %+v", len(ev.StackEvents), ev.StackEvents[0])
	}
	pv, err := ssmClient(q.URL).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/persisted")})
	if err != nil || aws.ToString(pv.Parameter.Value) != "v1" {
		t.Errorf("parameter after restart: %v %v", pv, err)
	}

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("persisted")})
	must(t, err)
	w := cloudformation.NewStackDeleteCompleteWaiter(cf, func(o *cloudformation.StackDeleteCompleteWaiterOptions) { o.MinDelay, o.MaxDelay = 1, 1 })
	must(t, w.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: out.StackId}, 30e9))
	vpcs, err := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(q.URL) }).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	must(t, err)
	for _, v := range vpcs.Vpcs {
		if aws.ToString(v.VpcId) == outputs["VpcId"] {
			t.Errorf("the stack's VPC %s survived its deletion", outputs["VpcId"])
		}
	}
}
