package server_test

import (
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// cfn37UserTemplate is a CI user as templates make one: inline and
// managed policies, an access key whose secret is an output, the user's
// ARN and the key's id as outputs. KeyStatus and Extra change on update.
const cfn37UserTemplate = `
Parameters:
  KeyStatus: {Type: String, Default: Active}
  Extra: {Type: String, Default: "no"}
Conditions:
  WithExtra: !Equals [!Ref Extra, "yes"]
Resources:
  Deploy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: "ecs:UpdateService", Resource: "*"}]
  CIUser:
    Type: AWS::IAM::User
    Properties:
      Path: /ci/
      ManagedPolicyArns: [!Ref Deploy]
      Policies:
        - PolicyName: push
          PolicyDocument:
            Version: "2012-10-17"
            Statement: [{Effect: Allow, Action: "ecr:*", Resource: "*"}]
        - !If
          - WithExtra
          - PolicyName: logs
            PolicyDocument:
              Version: "2012-10-17"
              Statement: [{Effect: Allow, Action: "logs:*", Resource: "*"}]
          - !Ref AWS::NoValue
      Tags: [{Key: team, Value: ops}]
  CIKey:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref CIUser
      Status: !Ref KeyStatus
  Read:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: read
      Users: [!Ref CIUser]
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: "ecs:Describe*", Resource: "*"}]
Outputs:
  UserName: {Value: !Ref CIUser}
  UserArn: {Value: !GetAtt CIUser.Arn}
  KeyId: {Value: !Ref CIKey}
  Secret: {Value: !GetAtt CIKey.SecretAccessKey}
`

// TestRound37IAMUserStack: a stack's AWS::IAM::User, AccessKey and a
// Policy naming the user are created in IAM (Ref the user's name and the
// key's id, Fn::GetAtt Arn and SecretAccessKey), updated in place (a key
// made Inactive, an inline policy added) and deleted with the stack.
// Before round thirty-seven they were placeholders: IAM had no such user.
func TestRound37IAMUserStack(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	ic := iamClient(em.URL)
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("ci"), TemplateBody: aws.String(cfn37UserTemplate), Capabilities: caps})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "ci")
	name := out["UserName"]
	if !strings.HasPrefix(name, "ci-CIUser-") || len(name) > 64 {
		t.Errorf("generated user name %q, want ci-CIUser-<suffix>", name)
	}
	u, err := ic.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)})
	must(t, err)
	if aws.ToString(u.User.Arn) != out["UserArn"] || out["UserArn"] != "arn:aws:iam::123456789012:user/ci/"+name {
		t.Errorf("user ARN %s, output %s", aws.ToString(u.User.Arn), out["UserArn"])
	}
	keys, err := ic.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String(name)})
	must(t, err)
	if len(keys.AccessKeyMetadata) != 1 || aws.ToString(keys.AccessKeyMetadata[0].AccessKeyId) != out["KeyId"] ||
		!strings.HasPrefix(out["KeyId"], "AKIA") || len(out["Secret"]) != 40 || keys.AccessKeyMetadata[0].Status != "Active" {
		t.Errorf("keys %+v, outputs %v", keys.AccessKeyMetadata, out)
	}
	inline := func() []string {
		pols, err := ic.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String(name)})
		must(t, err)
		return pols.PolicyNames
	}
	if got := inline(); !slices.Equal(got, []string{"push", "read"}) {
		t.Errorf("inline policies %v, want [push read]", got)
	}
	att, err := ic.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String(name)})
	must(t, err)
	if len(att.AttachedPolicies) != 1 || !strings.Contains(aws.ToString(att.AttachedPolicies[0].PolicyArn), ":policy/ci-Deploy-") {
		t.Errorf("attached %+v, want the stack's managed policy", att.AttachedPolicies)
	}

	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("ci"), UsePreviousTemplate: aws.Bool(true), Capabilities: caps,
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("KeyStatus"), ParameterValue: aws.String("Inactive")},
			{ParameterKey: aws.String("Extra"), ParameterValue: aws.String("yes")}}})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	if got := stackOutputs(t, cf, "ci"); got["UserName"] != name || got["KeyId"] != out["KeyId"] {
		t.Errorf("after the update: outputs %v, want the same user and key (updated in place)", got)
	}
	keys, err = ic.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String(name)})
	must(t, err)
	if len(keys.AccessKeyMetadata) != 1 || keys.AccessKeyMetadata[0].Status != "Inactive" {
		t.Errorf("after the update: keys %+v, want the one key Inactive", keys.AccessKeyMetadata)
	}
	if got := inline(); !slices.Equal(got, []string{"logs", "push", "read"}) {
		t.Errorf("after the update: inline policies %v, want [logs push read]", got)
	}

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	if _, err := ic.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)}); !isNoSuchEntity(err) {
		t.Errorf("GetUser after the delete: %v, want NoSuchEntity", err)
	}
}

// TestRound37DeprecatedLambdaRuntimeStack: a stack whose Lambda function
// has a runtime Lambda no longer creates fails on that function with
// Lambda's words in the resource handler's form, and rolls back (the log
// group created before it is deleted).
func TestRound37DeprecatedLambdaRuntimeStack(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	tpl := `
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
  Fn:
    Type: AWS::Lambda::Function
    DependsOn: Logs
    Properties:
      Runtime: python3.7
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {ZipFile: "def handler(event, context): return 1"}
`
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("old-fn"), TemplateBody: aws.String(tpl)})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(id)})
	must(t, err)
	var reason string
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "Fn" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed {
			reason = aws.ToString(e.ResourceStatusReason)
		}
	}
	want := `Resource handler returned message: "The runtime parameter of python3.7 is no longer supported for creating or updating AWS Lambda functions. ` +
		`We recommend you use the new runtime (python3.14) while creating or updating functions. (Service: Lambda, Status Code: 400, Request ID: `
	if !strings.HasPrefix(reason, want) || !strings.HasSuffix(reason, "HandlerErrorCode: InvalidRequest)") {
		t.Errorf("Fn CREATE_FAILED reason %q, want %q…", reason, want)
	}
}

// changeOf returns the change of a change set for logical id, waiting for
// the change set to be created.
func changeOf(t *testing.T, cf *cloudformation.Client, stack, cs, id string) (cfntypes.ResourceChange, bool) {
	t.Helper()
	out, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String(stack), ChangeSetName: aws.String(cs)})
	must(t, err)
	if out.Status != cfntypes.ChangeSetStatusCreateComplete {
		t.Fatalf("change set %s: %s (%s)", cs, out.Status, aws.ToString(out.StatusReason))
	}
	for _, c := range out.Changes {
		if rc := c.ResourceChange; rc != nil && aws.ToString(rc.LogicalResourceId) == id {
			return *rc, true
		}
	}
	return cfntypes.ResourceChange{}, false
}

// TestRound37ChangeSetAttributesOnly: a change set whose only change to a
// modeled resource is its Metadata, or its DeletionPolicy and
// UpdateReplacePolicy, lists a Modify of Replacement False whose Scope and
// details are the attribute (before round thirty-seven it listed nothing).
func TestRound37ChangeSetAttributesOnly(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	base := `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Web:
    Type: AWS::EC2::SecurityGroup
    Metadata: {Owner: web}
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
`
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("attrs"), TemplateBody: aws.String(base)})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete)
	for _, tc := range []struct {
		name, body string
		scope      []cfntypes.ResourceAttribute
	}{
		{"metadata", strings.Replace(base, "{Owner: web}", "{Owner: platform}", 1), []cfntypes.ResourceAttribute{"Metadata"}},
		{"policies", strings.Replace(base, "    Metadata: {Owner: web}\n", "    Metadata: {Owner: web}\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n", 1),
			[]cfntypes.ResourceAttribute{"DeletionPolicy", "UpdateReplacePolicy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("attrs"), ChangeSetName: aws.String(tc.name),
				TemplateBody: aws.String(tc.body)})
			must(t, err)
			rc, ok := changeOf(t, cf, "attrs", tc.name, "Web")
			if !ok {
				t.Fatal("no change of Web listed")
			}
			if rc.Action != cfntypes.ChangeActionModify || rc.Replacement != cfntypes.ReplacementFalse || !slices.Equal(rc.Scope, tc.scope) || len(rc.Details) != len(tc.scope) {
				t.Fatalf("change %s replacement %s scope %v details %d, want Modify False %v", rc.Action, rc.Replacement, rc.Scope, len(rc.Details), tc.scope)
			}
			for i, d := range rc.Details {
				if d.Target.Attribute != tc.scope[i] || d.Target.RequiresRecreation != cfntypes.RequiresRecreationNever || d.ChangeSource != cfntypes.ChangeSourceDirectModification {
					t.Errorf("detail %d: %+v", i, d.Target)
				}
			}
			if _, listed := changeOf(t, cf, "attrs", tc.name, "Vpc"); listed {
				t.Error("the unchanged VPC is listed")
			}
		})
	}
}

// TestRound37ChangeSetReplacingUpdate: an Auto Scaling group under
// AutoScalingReplacingUpdate WillReplace whose launch template changes is
// replaced, and the change set's details say so (the LaunchTemplate's
// RequiresRecreation Always, as Replacement True); before round
// thirty-seven they said Never beside Replacement True.
func TestRound37ChangeSetReplacingUpdate(t *testing.T) {
	em, _ := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/signal/private-asg.yaml")
	must(t, err)
	replacing := strings.Replace(string(body), "    CreationPolicy:\n", "    UpdatePolicy:\n      AutoScalingReplacingUpdate:\n        WillReplace: true\n    CreationPolicy:\n", 1)
	params := []cfntypes.Parameter{{ParameterKey: aws.String("Egress"), ParameterValue: aws.String("nat")}}
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("repl"), TemplateBody: aws.String(replacing), Parameters: params, Capabilities: caps})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete)
	_, err = cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("repl"), ChangeSetName: aws.String("bigger"),
		TemplateBody: aws.String(strings.Replace(replacing, "InstanceType: t3.small", "InstanceType: t3.medium", 1)), Parameters: params, Capabilities: caps})
	must(t, err)
	rc, ok := changeOf(t, cf, "repl", "bigger", "HostGroup")
	if !ok || rc.Replacement != cfntypes.ReplacementTrue {
		t.Fatalf("HostGroup change %+v, want Replacement True", rc)
	}
	var lt int
	for _, d := range rc.Details {
		if aws.ToString(d.Target.Name) == "LaunchTemplate" {
			lt++
			if d.Target.RequiresRecreation != cfntypes.RequiresRecreationAlways {
				t.Errorf("LaunchTemplate detail %+v: RequiresRecreation %s, want Always", d, d.Target.RequiresRecreation)
			}
		}
	}
	if lt == 0 {
		t.Errorf("details %+v name no LaunchTemplate", rc.Details)
	}
}

// cfn37Params returns a stack's parameters from a map.
func cfn37Params(m map[string]string) []cfntypes.Parameter {
	var out []cfntypes.Parameter
	for k, v := range m {
		out = append(out, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
	}
	return out
}

// TestRound37CopilotEnvController: Copilot's environment stack deployed
// without workloads (ALBWorkloads empty: no load balancer), then a load
// balanced service whose Custom::EnvControllerFunction adds it to the
// environment's ALBWorkloads: the environment stack is updated, makes its
// ALB and HTTP listener, and the service's listener rule lands on it, as
// `copilot svc deploy` completes in AWS. Deleting the service takes it out
// of ALBWorkloads again, and the environment's ALB goes. Before round
// thirty-seven the controller was a placeholder and the service's rule
// failed on a listener that did not exist.
func TestRound37CopilotEnvController(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityNamedIam, cfntypes.CapabilityCapabilityAutoExpand}
	envBody, err := os.ReadFile("../cfn/testdata/sweep36/copilot-env-basic.yml")
	must(t, err)
	env := map[string]string{"AppName": "my-app", "EnvironmentName": "test", "ALBWorkloads": "",
		"InternalALBWorkloads": "", "EFSWorkloads": "", "NATWorkloads": "", "AppRunnerPrivateWorkloads": "",
		"ToolsAccountPrincipalARN": "arn:aws:iam::123456789012:root", "AppDNSName": "", "AppDNSDelegationRole": "", "Aliases": "",
		"CreateHTTPSListener": "false", "CreateInternalHTTPSListener": "false", "ServiceDiscoveryEndpoint": "test.my-app.local"}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("my-app-test"), TemplateBody: aws.String(string(envBody)),
		Parameters: cfn37Params(env), Capabilities: caps})
	must(t, err)
	envID := aws.ToString(st.StackId)
	waitStack(t, cf, envID, cfntypes.StackStatusCreateComplete)
	if out := stackOutputs(t, cf, "my-app-test"); out["HTTPListenerArn"] != "" {
		t.Fatalf("environment without workloads has a listener %s", out["HTTPListenerArn"])
	}
	envParam := func(key string) string {
		ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("my-app-test")})
		must(t, err)
		for _, p := range ds.Stacks[0].Parameters {
			if aws.ToString(p.ParameterKey) == key {
				return aws.ToString(p.ParameterValue)
			}
		}
		return "?"
	}

	svcBody, err := os.ReadFile("../cfn/testdata/sweep17/cp-windows.yml")
	must(t, err)
	svc := map[string]string{"AppName": "my-app", "EnvName": "test", "WorkloadName": "fe",
		"ContainerImage": "mcr.microsoft.com/windows/servercore/iis", "ContainerPort": "80", "TaskCPU": "1024", "TaskMemory": "2048",
		"TaskCount": "1", "DNSDelegated": "false", "LogRetention": "30", "TargetContainer": "fe", "TargetPort": "80", "HTTPSEnabled": "false", "RulePath": "/"}
	st, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("my-app-test-fe"), TemplateBody: aws.String(string(svcBody)),
		Parameters: cfn37Params(svc), Capabilities: caps})
	must(t, err)
	svcID := aws.ToString(st.StackId)
	waitStack(t, cf, svcID, cfntypes.StackStatusCreateComplete)
	if got := envParam("ALBWorkloads"); got != "fe" {
		t.Errorf("environment's ALBWorkloads %q after the service, want fe", got)
	}
	listener := stackOutputs(t, cf, "my-app-test")["HTTPListenerArn"]
	if listener == "" {
		t.Fatal("the environment has no HTTP listener after the service's deploy")
	}
	rules, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: aws.String(listener)})
	must(t, err)
	if len(rules.Rules) != 2 { // the service's and the default
		t.Errorf("%d rules on the environment's listener, want the service's and the default", len(rules.Rules))
	}
	res, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(svcID), LogicalResourceId: aws.String("EnvControllerAction")})
	must(t, err)
	if id := aws.ToString(res.StackResourceDetail.PhysicalResourceId); id != "envcontoller/my-app-test/fe" {
		t.Errorf("EnvControllerAction physical id %q", id)
	}

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(svcID)})
	must(t, err)
	waitStack(t, cf, svcID, cfntypes.StackStatusDeleteComplete)
	if got := envParam("ALBWorkloads"); got != "" {
		t.Errorf("environment's ALBWorkloads %q after the service's deletion, want empty", got)
	}
	if out := stackOutputs(t, cf, "my-app-test"); out["HTTPListenerArn"] != "" {
		t.Errorf("the environment kept its listener %s after its last workload went", out["HTTPListenerArn"])
	}
}

// TestRound37SweepMicroservices: aws-microservices-deploy-options' Fargate
// infrastructure stack (NAT gateways, a route to the internet gateway and
// an internet-facing ALB that do not depend on its attachment) and its
// webapp service on the stack's outputs, as its master.yaml passes them,
// complete through the SDK, the service's task running behind the ALB.
func TestRound37SweepMicroservices(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	infra, err := os.ReadFile("../cfn/testdata/sweep37/msdo-infrastructure.yaml")
	must(t, err)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("msdo-infra"), TemplateBody: aws.String(string(infra))})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "msdo-infra")
	web, err := os.ReadFile("../cfn/testdata/sweep37/msdo-webapp.yaml")
	must(t, err)
	st, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("msdo-webapp"), TemplateBody: aws.String(string(web)),
		Parameters: cfn37Params(map[string]string{"ECSCluster": out["ECSCluster"], "VPC": out["VPC"], "PublicSubnet1": out["PublicSubnet1"],
			"PublicSubnet2": out["PublicSubnet2"], "PublicALB": out["ALBPublic"], "ALBPrivateCNAME": out["ALBPrivateCNAME"], "SecurityGroup": out["SecurityGroupWebapp"]})})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete)
	svc, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(out["ECSCluster"]), Services: []string{"webapp"}})
	must(t, err)
	if len(svc.Services) != 1 || svc.Services[0].RunningCount != 1 {
		t.Errorf("webapp service %+v, want 1 running task", svc.Services)
	}
}
