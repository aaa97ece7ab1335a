package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

const lambdaTemplate = `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: fn, VpcId: !Ref Vpc}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: orders
      Runtime: nodejs22.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Timeout: 30
      VpcConfig: {SubnetIds: [SUBNET], SecurityGroupIds: [!Ref Group]}
      Code: {ZipFile: "exports.handler = async () => ({});"}
  Invoke:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !GetAtt Fn.Arn, Principal: events.amazonaws.com}
  V1:
    Type: AWS::Lambda::Version
    Properties: {FunctionName: !Ref Fn}
  Live:
    Type: AWS::Lambda::Alias
    Properties: {FunctionName: !Ref Fn, FunctionVersion: !GetAtt V1.Version, Name: live}
Outputs:
  Arn: {Value: !GetAtt Fn.Arn}
  Name: {Value: !Ref Fn}
  Sid: {Value: !Ref Invoke}
  Version: {Value: !Ref V1}
  Alias: {Value: !Ref Live}
`

// TestRound37LambdaFunctionsOfTheEngine: a stack's function is a function
// of the engine's Lambda, with a Hyperplane ENI in its subnet, its
// permission's statement, its published version and its alias; a subnet
// that does not exist fails it with Lambda's words (EC2's error inside).
func TestRound37LambdaFunctionsOfTheEngine(t *testing.T) {
	tmpl, err := cfn.ParseTemplate("fn.yaml", []byte(strings.Replace(lambdaTemplate, "SUBNET", "!Ref Subnet", 1)))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	res, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "fns"})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range res.Outputs {
		out[o.Name] = o.Value
	}
	if out["Name"] != "orders" || out["Arn"] != "arn:aws:lambda:us-east-1:123456789012:function:orders" ||
		out["Version"] != "arn:aws:lambda:us-east-1:123456789012:function:orders:1" ||
		out["Alias"] != "arn:aws:lambda:us-east-1:123456789012:function:orders:live" || !strings.HasPrefix(out["Sid"], "fns-Invoke-") {
		t.Errorf("outputs %v", out)
	}
	e.Read(func(st *model.State) {
		fn := st.LambdaFunctions["orders"]
		if fn == nil {
			t.Fatal("no function orders")
		}
		if fn.Config.State != "Active" || fn.Config.Timeout != 30 || len(fn.ENIs) != 1 || len(fn.Versions) != 1 ||
			len(fn.Aliases) != 1 || fn.Aliases[0].FunctionVersion != "1" {
			t.Errorf("function %+v", fn)
		}
		if len(fn.Policy) != 1 || fn.Policy[0].Sid != out["Sid"] || fn.Policy[0].Principal != "events.amazonaws.com" {
			t.Errorf("policy %+v", fn.Policy)
		}
		if n := st.NetworkInterfaces[fn.ENIs[0]]; n == nil || n.Type != model.InterfaceLambda {
			t.Errorf("ENI %+v", n)
		}
	})

	tmpl, err = cfn.ParseTemplate("bad.yaml", []byte(strings.Replace(lambdaTemplate, "SUBNET", "subnet-0123456789abcdef0", 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfn.Deploy(cfn.NewEngine(), tmpl, cfn.DeployOptions{StackName: "bad"})
	want := "InvalidParameterValueException: Error occurred while DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. " +
		"EC2 Error Message: The subnet ID 'subnet-0123456789abcdef0' does not exist"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "Fn") {
		t.Errorf("err %v, want %q", err, want)
	}
}

// TestRound37LambdaOutsideTheEngine: what the analyzer meets in templates
// as they are written: a Code that is a local path (before "aws
// cloudformation package"), a permission on a SAM function (a
// placeholder) and a role that trusts only ECS tasks (refused as Lambda
// refuses it).
func TestRound37LambdaOutsideTheEngine(t *testing.T) {
	ok := `
Transform: AWS::Serverless-2016-10-31
Resources:
  Sam:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: s3://bucket/app.zip}
  SamInvoke:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Sam, Principal: s3.amazonaws.com}
  Local:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: app.handler, Role: arn:aws:iam::123456789012:role/r, Code: ./src}
`
	tmpl, err := cfn.ParseTemplate("sam.yaml", []byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	if _, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "sam"}); err != nil {
		t.Fatal(err)
	}
	e.Read(func(st *model.State) {
		// since round 38 SAM's function is one too (sam_function.go)
		if len(st.LambdaFunctions) != 2 {
			t.Errorf("%d functions, want the AWS::Lambda::Function and the SAM function", len(st.LambdaFunctions))
		}
	})

	bad := strings.Replace(lambdaTemplate, "lambda.amazonaws.com", "ecs-tasks.amazonaws.com", 1)
	tmpl, err = cfn.ParseTemplate("role.yaml", []byte(strings.Replace(bad, "SUBNET", "!Ref Subnet", 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfn.Deploy(cfn.NewEngine(), tmpl, cfn.DeployOptions{StackName: "role"})
	if err == nil || !strings.Contains(err.Error(), "InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda.") {
		t.Errorf("err %v", err)
	}
}

// TestRound37LambdaFunctionUpdate: a changed Timeout and Code update the
// function in place (the same function, a new CodeSha256); a changed
// FunctionName replaces it with a new function.
func TestRound37LambdaFunctionUpdate(t *testing.T) {
	base := strings.Replace(lambdaTemplate, "SUBNET", "!Ref Subnet", 1)
	parse := func(text string) *cfn.Template {
		tpl, err := cfn.ParseTemplate("fn.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return tpl
	}
	e := cfn.NewEngine()
	names := engine.SeededIDs(37)
	first, err := cfn.Deploy(e, parse(base), cfn.DeployOptions{StackName: "fns", Names: names})
	if err != nil {
		t.Fatal(err)
	}
	var sha string
	e.Read(func(st *model.State) { sha = st.LambdaFunctions["orders"].Config.CodeSHA256 })
	changed := strings.Replace(strings.Replace(base, "Timeout: 30", "Timeout: 60", 1), "async () => ({})", "async () => ({ok: true})", 1)
	second, err := cfn.Deploy(e, parse(changed), cfn.DeployOptions{StackName: "fns", Names: names, Existing: existingOf(first)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range second.Resources {
		if r.LogicalID == "Fn" && (r.Change != cfn.ChangeModify || r.PhysicalID != "orders") {
			t.Errorf("Fn: %s %s, want orders modified in place", r.Change, r.PhysicalID)
		}
	}
	e.Read(func(st *model.State) {
		fn := st.LambdaFunctions["orders"]
		if fn.Config.Timeout != 60 || fn.Config.CodeSHA256 == sha || fn.Config.LastUpdateStatus != "Successful" {
			t.Errorf("after the update %+v", fn.Config)
		}
	})
	renamed := strings.Replace(changed, "FunctionName: orders", "FunctionName: orders-v2", 1)
	third, err := cfn.Deploy(e, parse(renamed), cfn.DeployOptions{StackName: "fns", Names: names, Existing: existingOf(second)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range third.Resources {
		if r.LogicalID == "Fn" && (r.Change != cfn.ChangeReplace || r.PhysicalID != "orders-v2") {
			t.Errorf("Fn: %s %s, want orders-v2 replacing orders", r.Change, r.PhysicalID)
		}
	}
	e.Read(func(st *model.State) {
		if st.LambdaFunctions["orders-v2"] == nil {
			t.Errorf("no function orders-v2")
		}
	})
}
