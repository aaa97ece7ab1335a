package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

const cfn38RuntimeTemplate = `
Parameters:
  Runtime: {Type: String, Default: nodejs22.x}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: rt38
      Runtime: !Ref Runtime
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code: {ZipFile: "exports.handler = async () => ({});"}
`

// TestRound38RuntimeUpdateStack: an UpdateStack that moves a function to a
// runtime past its "block function update" date fails the function with
// Lambda's words and rolls back (the function keeps its runtime); the
// Lambda API refuses the same change in UpdateFunctionConfiguration.
func TestRound38RuntimeUpdateStack(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("rt38"), TemplateBody: aws.String(cfn38RuntimeTemplate),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), UsePreviousTemplate: aws.Bool(true),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam},
		Parameters:   []cfntypes.Parameter{{ParameterKey: aws.String("Runtime"), ParameterValue: aws.String("python3.7")}}})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(id)})
	must(t, err)
	var reason string
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "Fn" && e.ResourceStatus == cfntypes.ResourceStatusUpdateFailed {
			reason = aws.ToString(e.ResourceStatusReason)
		}
	}
	want := `Resource handler returned message: "The runtime parameter of python3.7 is no longer supported for creating or updating AWS Lambda functions. ` +
		`We recommend you use the new runtime (python3.14) while creating or updating functions. (Service: Lambda, Status Code: 400, Request ID: `
	if !strings.HasPrefix(reason, want) {
		t.Errorf("Fn UPDATE_FAILED reason %q, want %q…", reason, want)
	}
	lc := lambdaClient(em.URL)
	fn, err := lc.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("rt38")})
	must(t, err)
	if fn.Configuration.Runtime != lambdatypes.RuntimeNodejs22x {
		t.Errorf("after the rollback the runtime is %s", fn.Configuration.Runtime)
	}
	_, err = lc.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("rt38"), Runtime: lambdatypes.RuntimeNodejs12x})
	if apiCode(err) != "InvalidParameterValueException" || lambdaErrMessage(err) !=
		"The runtime parameter of nodejs12.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (nodejs24.x) while creating or updating functions." {
		t.Errorf("UpdateFunctionConfiguration to nodejs12.x: %v", err)
	}
}

// TestRound38IAMGroupsAPI: IAM's group operations through the Go SDK,
// with IAM's errors: a name taken, a group that does not exist, a group
// or user that cannot be deleted while in use.
func TestRound38IAMGroupsAPI(t *testing.T) {
	em := newEmulator(t, nil)
	c := iamClient(em.URL)
	g, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("ops"), Path: aws.String("/team/")})
	must(t, err)
	if aws.ToString(g.Group.Arn) != "arn:aws:iam::123456789012:group/team/ops" || !strings.HasPrefix(aws.ToString(g.Group.GroupId), "AGPA") {
		t.Errorf("group %+v", g.Group)
	}
	if _, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("OPS")}); apiCode(err) != "EntityAlreadyExists" {
		t.Errorf("a taken name: %v", err)
	}
	if _, err := c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("nope")}); apiCode(err) != "NoSuchEntity" ||
		lambdaErrMessage(err) != "The group with name nope cannot be found." {
		t.Errorf("a missing group: %v", err)
	}
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ann")})
	must(t, err)
	if _, err := c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("ops"), UserName: aws.String("nobody")}); apiCode(err) != "NoSuchEntity" {
		t.Errorf("a missing user: %v", err)
	}
	_, err = c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("ops"), UserName: aws.String("ann")})
	must(t, err)
	_, err = c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("ops"), PolicyName: aws.String("ecs"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}`)})
	must(t, err)
	_, err = c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("ops"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")})
	must(t, err)
	got, err := c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("ops")})
	must(t, err)
	if len(got.Users) != 1 || aws.ToString(got.Users[0].UserName) != "ann" {
		t.Errorf("GetGroup users %+v", got.Users)
	}
	forUser, err := c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("ann")})
	must(t, err)
	if len(forUser.Groups) != 1 || aws.ToString(forUser.Groups[0].GroupName) != "ops" {
		t.Errorf("ListGroupsForUser %+v", forUser.Groups)
	}
	pol, err := c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("ops"), PolicyName: aws.String("ecs")})
	must(t, err)
	if !strings.Contains(aws.ToString(pol.PolicyDocument), "ecs%3A%2A") {
		t.Errorf("GetGroupPolicy document %q", aws.ToString(pol.PolicyDocument))
	}
	names, err := c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("ops")})
	must(t, err)
	attached, err := c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("ops")})
	must(t, err)
	if len(names.PolicyNames) != 1 || len(attached.AttachedPolicies) != 1 {
		t.Errorf("group policies %v, attached %+v", names.PolicyNames, attached.AttachedPolicies)
	}
	if _, err := c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("ops")}); apiCode(err) != "DeleteConflict" ||
		lambdaErrMessage(err) != "Cannot delete entity, must remove users from group first." {
		t.Errorf("deleting a group with users: %v", err)
	}
	if _, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("ann")}); apiCode(err) != "DeleteConflict" {
		t.Errorf("deleting a user in a group: %v", err)
	}
	_, err = c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("ann"), NewUserName: aws.String("anna")})
	must(t, err)
	got, err = c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("ops")})
	must(t, err)
	if len(got.Users) != 1 || aws.ToString(got.Users[0].UserName) != "anna" {
		t.Errorf("GetGroup users after the rename %+v", got.Users)
	}
	_, err = c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("ops"), UserName: aws.String("anna")})
	must(t, err)
	_, err = c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("ops"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")})
	must(t, err)
	_, err = c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("ops"), PolicyName: aws.String("ecs")})
	must(t, err)
	_, err = c.UpdateGroup(ctx, &iam.UpdateGroupInput{GroupName: aws.String("ops"), NewGroupName: aws.String("platform")})
	must(t, err)
	list, err := c.ListGroups(ctx, &iam.ListGroupsInput{})
	must(t, err)
	if len(list.Groups) != 1 || aws.ToString(list.Groups[0].GroupName) != "platform" {
		t.Errorf("ListGroups %+v", list.Groups)
	}
	_, err = c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("platform")})
	must(t, err)
}

// TestRound38IAMGroupsStack: a stack's AWS::IAM::Group, a user's Groups
// and an AWS::IAM::UserToGroupAddition, read back through IAM; deleting
// the stack deletes the groups.
func TestRound38IAMGroupsStack(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	tpl := `
Resources:
  Admins:
    Type: AWS::IAM::Group
    Properties:
      GroupName: admins
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
  Ann:
    Type: AWS::IAM::User
    Properties: {UserName: ann, Groups: [!Ref Admins]}
  Readers:
    Type: AWS::IAM::Group
  Add:
    Type: AWS::IAM::UserToGroupAddition
    Properties: {GroupName: !Ref Readers, Users: [!Ref Ann]}
`
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("groups"), TemplateBody: aws.String(tpl),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityNamedIam}})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	c := iamClient(em.URL)
	groups, err := c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("ann")})
	must(t, err)
	if len(groups.Groups) != 2 {
		t.Errorf("ann's groups %+v", groups.Groups)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	list, err := c.ListGroups(ctx, &iam.ListGroupsInput{})
	must(t, err)
	if len(list.Groups) != 0 {
		t.Errorf("groups after the delete %+v", list.Groups)
	}
}

// TestRound38SAMFunctionStack: a SAM function deployed through the Go SDK
// is a function of Lambda's API, with the execution role SAM makes for
// it in IAM, and its schedule's rule in EventBridge.
func TestRound38SAMFunctionStack(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	tpl := `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Runtime: python3.12, MemorySize: 256}
Resources:
  Cleaner:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: cleaner
      Handler: app.handler
      CodeUri: s3://artifacts/cleaner.zip
      Events:
        Hourly: {Type: Schedule, Properties: {Schedule: rate(1 hour)}}
Outputs:
  Role: {Value: !Ref CleanerRole}
`
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("sam38"), TemplateBody: aws.String(tpl),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityAutoExpand}})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	fn, err := lambdaClient(em.URL).GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("cleaner")})
	must(t, err)
	role := stackOutputs(t, cf, "sam38")["Role"]
	if fn.Configuration.Runtime != lambdatypes.RuntimePython312 || aws.ToInt32(fn.Configuration.MemorySize) != 256 ||
		!strings.HasSuffix(aws.ToString(fn.Configuration.Role), ":role/"+role) || fn.Tags["lambda:createdBy"] != "SAM" {
		t.Errorf("cleaner %+v tags %v, role %s", fn.Configuration, fn.Tags, role)
	}
	attached, err := iamClient(em.URL).ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(role)})
	must(t, err)
	if len(attached.AttachedPolicies) != 1 || aws.ToString(attached.AttachedPolicies[0].PolicyArn) != "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" {
		t.Errorf("role policies %+v", attached.AttachedPolicies)
	}
	res, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(id)})
	must(t, err)
	types := map[string]string{}
	for _, r := range res.StackResources {
		types[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.ResourceType)
	}
	if types["Cleaner"] != "AWS::Lambda::Function" || types["CleanerHourly"] != "AWS::Events::Rule" || types["CleanerHourlyPermission"] != "AWS::Lambda::Permission" {
		t.Errorf("resources %v", types)
	}
}
