package server_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const iamStackTemplate = `
Resources:
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      Path: /app/
      Description: the task's role
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read-logs
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: ["logs:GetLogEvents"], Resource: "*"}
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
        - !Ref Extra
      Tags: [{Key: team, Value: web}]
  Extra:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Description: extra rights
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]
  Inline:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: ssm-read
      Roles: [!Ref TaskRole]
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: "ssm:GetParameter", Resource: "*"}]
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref TaskRole]
Outputs:
  RoleName: {Value: !Ref TaskRole}
  RoleArn: {Value: !GetAtt TaskRole.Arn}
  RoleId: {Value: !GetAtt TaskRole.RoleId}
  ProfileName: {Value: !Ref Profile}
  ProfileArn: {Value: !GetAtt Profile.Arn}
  PolicyArn: {Value: !Ref Extra}
`

// TestCloudFormationIAM deploys a stack of IAM resources in us-west-2
// through the Go SDK and reads them back through the IAM API (IAM is
// global: us-east-1's state), then updates and deletes the stack; a stack
// whose role attaches a policy that does not exist rolls back, leaving no
// role behind.
func TestCloudFormationIAM(t *testing.T) {
	em := newEmulator(t, nil)
	west := sdkConfig()
	west.Region = "us-west-2"
	cf := cloudformation.NewFromConfig(west, func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(em.URL) })
	ic := iamClient(em.URL)
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}

	created, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("app-iam"),
		TemplateBody: aws.String(iamStackTemplate), Capabilities: caps})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "app-iam")

	name := out["RoleName"]
	if !strings.HasPrefix(name, "app-iam-TaskRole-") || len(name) > 64 {
		t.Errorf("generated role name %q, want app-iam-TaskRole-<suffix>", name)
	}
	role, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	must(t, err)
	r := role.Role
	if aws.ToString(r.Arn) != out["RoleArn"] || aws.ToString(r.Arn) != "arn:aws:iam::123456789012:role/app/"+name ||
		aws.ToString(r.RoleId) != out["RoleId"] || !strings.HasPrefix(out["RoleId"], "AROA") || aws.ToString(r.Path) != "/app/" ||
		aws.ToString(r.Description) != "the task's role" {
		t.Errorf("role %+v, outputs %v", r, out)
	}
	trust, _ := url.QueryUnescape(aws.ToString(r.AssumeRolePolicyDocument))
	var doc struct {
		Version   string
		Statement []struct {
			Principal struct{ Service string }
			Action    string
		}
	}
	if err := json.Unmarshal([]byte(trust), &doc); err != nil || doc.Version != "2012-10-17" || len(doc.Statement) != 1 ||
		doc.Statement[0].Principal.Service != "ecs-tasks.amazonaws.com" || doc.Statement[0].Action != "sts:AssumeRole" {
		t.Errorf("trust policy %s (%v)", trust, err)
	}
	if len(r.Tags) != 1 || aws.ToString(r.Tags[0].Key) != "team" {
		t.Errorf("role tags %+v, want only team", r.Tags)
	}
	inline, err := ic.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
	must(t, err)
	if !slices.Equal(inline.PolicyNames, []string{"read-logs", "ssm-read"}) {
		t.Errorf("inline policies %v", inline.PolicyNames)
	}
	attached, err := ic.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
	must(t, err)
	var arns []string
	for _, p := range attached.AttachedPolicies {
		arns = append(arns, aws.ToString(p.PolicyArn))
	}
	slices.Sort(arns)
	if !slices.Equal(arns, []string{"arn:aws:iam::123456789012:policy/" + strings.TrimPrefix(out["PolicyArn"], "arn:aws:iam::123456789012:policy/"),
		"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}) || !strings.Contains(out["PolicyArn"], ":policy/app-iam-Extra-") {
		t.Errorf("attached %v, stack's policy %s", arns, out["PolicyArn"])
	}
	prof, err := ic.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String(out["ProfileName"])})
	must(t, err)
	if aws.ToString(prof.InstanceProfile.Arn) != out["ProfileArn"] || len(prof.InstanceProfile.Roles) != 1 ||
		aws.ToString(prof.InstanceProfile.Roles[0].RoleName) != name {
		t.Errorf("instance profile %+v", prof.InstanceProfile)
	}

	// An update: the new template's inline policy replaces the old one.
	updated := strings.Replace(iamStackTemplate, "PolicyName: ssm-read", "PolicyName: ssm-write", 1)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("app-iam"), TemplateBody: aws.String(updated), Capabilities: caps})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusUpdateComplete)
	out2 := stackOutputs(t, cf, "app-iam")
	inline, err = ic.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(out2["RoleName"])})
	must(t, err)
	if !slices.Equal(inline.PolicyNames, []string{"read-logs", "ssm-write"}) {
		t.Errorf("inline policies after the update %v", inline.PolicyNames)
	}

	// A failed stack rolls its role back.
	bad := `
Resources:
  Named:
    Type: AWS::IAM::Role
    Properties:
      RoleName: rollback-role
      AssumeRolePolicyDocument: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
  Broken:
    Type: AWS::IAM::Role
    DependsOn: Named
    Properties:
      AssumeRolePolicyDocument: {"Version": "2012-10-17", "Statement": []}
      ManagedPolicyArns: [arn:aws:iam::123456789012:policy/does-not-exist]
`
	failed, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("bad-iam"), TemplateBody: aws.String(bad),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityNamedIam}})
	must(t, err)
	waitStack(t, cf, aws.ToString(failed.StackId), cfntypes.StackStatusRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: failed.StackId})
	must(t, err)
	reason := ""
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "Broken" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed {
			reason = aws.ToString(e.ResourceStatusReason)
		}
	}
	if !strings.Contains(reason, "Policy arn:aws:iam::123456789012:policy/does-not-exist does not exist or is not attachable.") ||
		!strings.Contains(reason, "Service: Iam, Status Code: 404") {
		t.Errorf("Broken's failure: %q", reason)
	}
	if _, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("rollback-role")}); !isNoSuchEntity(err) {
		t.Errorf("the rolled back stack's role: %v", err)
	}

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("app-iam")})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusDeleteComplete)
	if _, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(out2["RoleName"])}); !isNoSuchEntity(err) {
		t.Errorf("role after the stack's deletion: %v", err)
	}
	if _, err := ic.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String(out2["ProfileName"])}); !isNoSuchEntity(err) {
		t.Errorf("instance profile after the stack's deletion: %v", err)
	}
	if _, err := ic.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(out2["PolicyArn"])}); !isNoSuchEntity(err) {
		t.Errorf("managed policy after the stack's deletion: %v", err)
	}
}

func isNoSuchEntity(err error) bool {
	var nse *iamtypes.NoSuchEntityException
	return errors.As(err, &nse)
}

// waitStack waits until a stack reaches want (failing on any other
// settled status).
func waitStack(t *testing.T, cf *cloudformation.Client, id string, want cfntypes.StackStatus) {
	t.Helper()
	for deadline := time.Now().Add(patience); time.Now().Before(deadline); {
		ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
		must(t, err)
		st := ds.Stacks[0].StackStatus
		if st == want {
			return
		}
		if !strings.HasSuffix(string(st), "_IN_PROGRESS") {
			t.Fatalf("stack %s: %s (%s), want %s", id, st, aws.ToString(ds.Stacks[0].StackStatusReason), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("stack %s never reached %s", id, want)
}

// stackOutputs returns a stack's outputs by key.
func stackOutputs(t *testing.T, cf *cloudformation.Client, name string) map[string]string {
	t.Helper()
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	must(t, err)
	out := map[string]string{}
	for _, o := range ds.Stacks[0].Outputs {
		out[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	return out
}
