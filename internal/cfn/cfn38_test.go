package cfn_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestRound38RuntimeUpdateRefused: a stack update that changes a
// function's runtime to one past its "block function update" date fails
// the function with Lambda's words, and the function keeps its runtime;
// an update to a current runtime goes through.
func TestRound38RuntimeUpdateRefused(t *testing.T) {
	base := strings.Replace(lambdaTemplate, "SUBNET", "!Ref Subnet", 1)
	parse := func(text string) *cfn.Template {
		tpl, err := cfn.ParseTemplate("fn.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return tpl
	}
	e := cfn.NewEngine()
	names := engine.SeededIDs(38)
	first, err := cfn.Deploy(e, parse(base), cfn.DeployOptions{StackName: "fns", Names: names})
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range []string{"nodejs12.x", "python3.7"} {
		old := strings.Replace(base, "Runtime: nodejs22.x", "Runtime: "+rt, 1)
		_, err = cfn.Deploy(e, parse(old), cfn.DeployOptions{StackName: "fns", Names: names, Existing: existingOf(first)})
		var ce *cfn.Error
		want := "The runtime parameter of " + rt + " is no longer supported for creating or updating AWS Lambda functions."
		if err == nil || !strings.Contains(err.Error(), want) || !errors.As(err, &ce) || ce.Resource != "Fn" {
			t.Fatalf("update to %s: err %v, want Fn's failure %q", rt, err, want)
		}
		e.Read(func(st *model.State) {
			if got := st.LambdaFunctions["orders"].Config.Runtime; got != "nodejs22.x" {
				t.Errorf("after the refused update the runtime is %s", got)
			}
		})
	}
	current := strings.Replace(base, "Runtime: nodejs22.x", "Runtime: nodejs24.x", 1)
	if _, err := cfn.Deploy(e, parse(current), cfn.DeployOptions{StackName: "fns", Names: names, Existing: existingOf(first)}); err != nil {
		t.Fatalf("update to nodejs24.x: %v", err)
	}
}

const groupsTemplate = `
Parameters:
  Members: {Type: CommaDelimitedList, Default: "alice,bob"}
Resources:
  Deploy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Groups: [!Ref Admins]
      PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "ecs:UpdateService", Resource: "*"}]}
  Admins:
    Type: AWS::IAM::Group
    Properties:
      GroupName: admins
      Path: /ops/
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
      Policies:
        - PolicyName: logs
          PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "logs:*", Resource: "*"}]}
  Readers:
    Type: AWS::IAM::Group
  ReadPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: read
      Groups: [!Ref Readers]
      PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:Get*", Resource: "*"}]}
  Alice:
    Type: AWS::IAM::User
    Properties: {UserName: alice, Groups: [!Ref Admins]}
  Bob:
    Type: AWS::IAM::User
    Properties: {UserName: bob}
  AddReaders:
    Type: AWS::IAM::UserToGroupAddition
    DependsOn: [Alice, Bob]
    Properties:
      GroupName: !Ref Readers
      Users: !Ref Members
Outputs:
  AdminsArn: {Value: !GetAtt Admins.Arn}
  Readers: {Value: !Ref Readers}
`

// TestRound38IAMGroups: a stack's groups are groups of the emulator's IAM
// with their policies and users (a user's Groups, a UserToGroupAddition,
// a Policy's and a ManagedPolicy's Groups); an update changes the
// addition's users in place; deleting the stack leaves no group; the
// analyzer (no IAM) skips them.
func TestRound38IAMGroups(t *testing.T) {
	tmpl, err := cfn.ParseTemplate("groups.yaml", []byte(groupsTemplate))
	if err != nil {
		t.Fatal(err)
	}
	e, global := cfn.NewEngine(), cfn.NewEngine()
	res, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "g", IAM: global})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range res.Outputs {
		out[o.Name] = o.Value
	}
	if out["AdminsArn"] != "arn:aws:iam::123456789012:group/ops/admins" || !strings.HasPrefix(out["Readers"], "g-Readers-") {
		t.Errorf("outputs %v", out)
	}
	global.Read(func(st *model.State) {
		admins, readers := st.IAMGroups["admins"], st.IAMGroups[out["Readers"]]
		if admins == nil || readers == nil {
			t.Fatalf("groups %v", st.IAMGroups)
		}
		if !slices.Equal(admins.Users, []string{"alice"}) || admins.InlinePolicies["logs"] == "" || len(admins.AttachedPolicies) != 2 {
			t.Errorf("admins %+v", admins)
		}
		if !slices.Equal(readers.Users, []string{"alice", "bob"}) || readers.InlinePolicies["read"] == "" {
			t.Errorf("readers %+v", readers)
		}
	})
	second, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "g", IAM: global, Existing: existingOf(res),
		Parameters: map[string]string{"Members": "bob"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range second.Resources {
		if r.LogicalID == "AddReaders" && r.Change != cfn.ChangeModify {
			t.Errorf("AddReaders: %s, want modified in place", r.Change)
		}
	}
	global.Read(func(st *model.State) {
		if g := st.IAMGroups[out["Readers"]]; g == nil || !slices.Equal(g.Users, []string{"bob"}) {
			t.Errorf("readers after the update %+v", g)
		}
	})
	if err := cfn.DeleteResourcesWith(e, global, second.Resources); err != nil {
		t.Fatal(err)
	}
	global.Read(func(st *model.State) {
		if len(st.IAMGroups)+len(st.IAMUsers) != 0 {
			t.Errorf("left after the delete: groups %v users %v", st.IAMGroups, st.IAMUsers)
		}
	})
	res, err = cfn.Deploy(cfn.NewEngine(), tmpl, cfn.DeployOptions{StackName: "g"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 7 {
		t.Errorf("analyzer: skipped %d, want the 7 IAM resources", len(res.Skipped))
	}
}

// TestRound38SAMFunction: SAM's transform makes an AWS::Lambda::Function
// of each AWS::Serverless::Function, with Globals merged in (Runtime,
// Environment variables by key), its CodeUri's object, a role
// "<id>Role" with AWSLambdaBasicExecutionRole (and the VPC access policy
// for a function in a VPC) when it names no Role, and a Schedule event's
// rule and permission; a Role that is a custom resource's answer is taken
// as a role Lambda can assume.
func TestRound38SAMFunction(t *testing.T) {
	tmpl, err := cfn.ParseTemplate("sam.yaml", []byte(`
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 20
    Environment: {Variables: {STAGE: prod, LOG: info}}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: s3://artifacts/worker.zip?versionId=7
      Environment: {Variables: {LOG: debug}}
      VpcConfig: {SubnetIds: [!Ref Subnet], SecurityGroupIds: [!GetAtt Vpc.DefaultSecurityGroup]}
      Policies:
        - AmazonS3ReadOnlyAccess
        - Statement: [{Effect: Allow, Action: "sqs:SendMessage", Resource: "*"}]
      Tags: {team: data}
      Events:
        Nightly:
          Type: Schedule
          Properties: {Schedule: rate(1 day)}
  RoleMaker:
    Type: Custom::RoleMaker
    Properties: {ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:maker}
  Custom:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      InlineCode: "def handler(e, c): pass"
      Role: !GetAtt RoleMaker.RoleArn
Outputs:
  Arn: {Value: !GetAtt Worker.Arn}
  Role: {Value: !Ref WorkerRole}
`))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	res, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "sam", IAM: e})
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, r := range res.Resources {
		types[r.LogicalID] = r.Type
	}
	for id, typ := range map[string]string{"Worker": "AWS::Lambda::Function", "WorkerRole": "AWS::IAM::Role", "WorkerNightly": "AWS::Events::Rule",
		"WorkerNightlyPermission": "AWS::Lambda::Permission", "Custom": "AWS::Lambda::Function"} {
		if types[id] != typ {
			t.Errorf("%s: %q, want %s (resources %v)", id, types[id], typ, types)
		}
	}
	var worker *model.LambdaFunction
	var role *model.Role
	e.Read(func(st *model.State) {
		for _, fn := range st.LambdaFunctions {
			if strings.HasPrefix(fn.Name, "sam-Worker-") {
				worker = fn
			}
		}
		for _, r := range st.Roles {
			if strings.HasPrefix(r.Name, "sam-WorkerRole-") {
				role = r
			}
		}
	})
	if worker == nil || role == nil {
		t.Fatalf("function %v, role %v", worker, role)
	}
	c := worker.Config
	if c.Runtime != "python3.12" || c.Timeout != 20 || c.Environment["STAGE"] != "prod" || c.Environment["LOG"] != "debug" ||
		!strings.HasSuffix(c.Role, ":role/"+role.Name) || len(c.SubnetIDs) != 1 || worker.Tags["lambda:createdBy"] != "SAM" || worker.Tags["team"] != "data" {
		t.Errorf("Worker %+v tags %v", c, worker.Tags)
	}
	wantManaged := []string{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
		"arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}
	if !slices.Equal(role.AttachedPolicies, wantManaged) || role.InlinePolicies["WorkerRolePolicy1"] == "" {
		t.Errorf("WorkerRole managed %v inline %v", role.AttachedPolicies, role.InlinePolicies)
	}
}

// TestRound38SAMAutoPublishAlias: a function's AutoPublishAlias makes a
// version and an alias of it, and "<fn>.Alias" and "<fn>.Version" (in Ref
// and Fn::Sub) name them, as SAM resolves them.
func TestRound38SAMAutoPublishAlias(t *testing.T) {
	tmpl, err := cfn.ParseTemplate("alias.yaml", []byte(`
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: pub
      Runtime: nodejs22.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => 1"
      AutoPublishAlias: live
  Invoke:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn.Alias, Principal: sns.amazonaws.com}
Outputs:
  Alias: {Value: !Ref Fn.Alias}
  Version: {Value: !Ref Fn.Version}
  Sub: {Value: !Sub "${Fn.Alias}"}
`))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	res, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "alias", IAM: e})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range res.Outputs {
		out[o.Name] = o.Value
	}
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:pub"
	if out["Alias"] != arn+":live" || out["Sub"] != arn+":live" || out["Version"] != arn+":1" {
		t.Errorf("outputs %v", out)
	}
	e.Read(func(st *model.State) {
		fn := st.LambdaFunctions["pub"]
		if fn == nil || len(fn.Aliases) != 1 {
			t.Errorf("function %+v", fn)
		}
	})
}
