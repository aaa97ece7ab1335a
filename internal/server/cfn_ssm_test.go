package server_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/server"
)

// TestCloudFormationSSMParameter deploys AWS::SSM::Parameter resources:
// they land in Parameter Store (named, and CFN-<logical id>-<suffix>
// without a name), Ref and GetAtt answer what they are, a second stack's
// SSM parameter type reads one, and deleting the stack deletes them.
func TestCloudFormationSSMParameter(t *testing.T) {
	srv, err := server.New(server.Options{
		Registry: services.Registry(), Analyzer: services.Analyzer(), EngineOptions: services.EngineOptions(),
		StepInterval: time.Hour, Models: testModels,
	})
	must(t, err)
	hs := httptest.NewServer(srv)
	go srv.StepLoop()
	t.Cleanup(func() {
		hs.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	cf, sm := cfnClient(hs.URL), ssmClient(hs.URL)
	status := func(name string) *cloudformation.DescribeStacksOutput {
		t.Helper()
		ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
		must(t, err)
		return ds
	}
	tmpl := `Resources:
  Named:
    Type: AWS::SSM::Parameter
    Properties: {Name: /team/cidr, Type: String, Value: 10.9.0.0/16, Tags: {team: net}}
  Unnamed:
    Type: AWS::SSM::Parameter
    Properties: {Type: StringList, Value: "a,b"}
Outputs:
  NamedRef: {Value: !Ref Named}
  NamedValue: {Value: !GetAtt Named.Value}
  UnnamedRef: {Value: !Ref Unnamed}
`
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("params"), TemplateBody: aws.String(tmpl)})
	must(t, err)
	ds := status("params")
	if got := string(ds.Stacks[0].StackStatus); got != "CREATE_COMPLETE" {
		t.Fatalf("stack %s (%s), want CREATE_COMPLETE", got, aws.ToString(ds.Stacks[0].StackStatusReason))
	}
	out := map[string]string{}
	for _, o := range ds.Stacks[0].Outputs {
		out[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	if out["NamedRef"] != "/team/cidr" || out["NamedValue"] != "10.9.0.0/16" || !strings.HasPrefix(out["UnnamedRef"], "CFN-Unnamed-") {
		t.Fatalf("outputs %v", out)
	}
	p, err := sm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/team/cidr")})
	must(t, err)
	if aws.ToString(p.Parameter.Value) != "10.9.0.0/16" || string(p.Parameter.Type) != "String" {
		t.Fatalf("GetParameter: %+v", p.Parameter)
	}
	u, err := sm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(out["UnnamedRef"])})
	must(t, err)
	if string(u.Parameter.Type) != "StringList" {
		t.Fatalf("unnamed parameter type %s", u.Parameter.Type)
	}
	tags, err := sm.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceId: aws.String("/team/cidr"), ResourceType: "Parameter"})
	must(t, err)
	if len(tags.TagList) != 1 || aws.ToString(tags.TagList[0].Value) != "net" {
		t.Fatalf("tags %+v, want team=net", tags.TagList)
	}

	reader := `Parameters:
  Cidr: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /team/cidr}
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: !Ref Cidr}}
`
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("reader"), TemplateBody: aws.String(reader)})
	must(t, err)
	if got := string(status("reader").Stacks[0].StackStatus); got != "CREATE_COMPLETE" {
		t.Fatalf("reader stack %s, want CREATE_COMPLETE", got)
	}

	// SecureString is not a type CloudFormation creates.
	bad := "Resources:\n  S: {Type: AWS::SSM::Parameter, Properties: {Type: SecureString, Value: x}}\n"
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("secure"), TemplateBody: aws.String(bad)})
	if err == nil {
		if got := string(status("secure").Stacks[0].StackStatus); !strings.Contains(got, "ROLLBACK") && !strings.Contains(got, "FAILED") {
			t.Fatalf("a SecureString parameter: stack %s, want it to fail", got)
		}
	}

	// An update of the value and tags changes the parameter in place: a
	// new version of the same name, the unnamed one untouched.
	updated := strings.Replace(tmpl, "Value: 10.9.0.0/16, Tags: {team: net}", "Value: 10.8.0.0/16, Tags: {owner: ops}", 1)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("params"), TemplateBody: aws.String(updated)})
	must(t, err)
	ds = status("params")
	if got := string(ds.Stacks[0].StackStatus); got != "UPDATE_COMPLETE" {
		t.Fatalf("after the update: %s (%s), want UPDATE_COMPLETE", got, aws.ToString(ds.Stacks[0].StackStatusReason))
	}
	p, err = sm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/team/cidr")})
	must(t, err)
	if aws.ToString(p.Parameter.Value) != "10.8.0.0/16" || p.Parameter.Version != 2 {
		t.Fatalf("after the update: %s version %d, want 10.8.0.0/16 version 2", aws.ToString(p.Parameter.Value), p.Parameter.Version)
	}
	tags, err = sm.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceId: aws.String("/team/cidr"), ResourceType: "Parameter"})
	must(t, err)
	if len(tags.TagList) != 1 || aws.ToString(tags.TagList[0].Key) != "owner" {
		t.Fatalf("tags after the update %+v, want only owner", tags.TagList)
	}
	if u2, err := sm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(out["UnnamedRef"])}); err != nil || u2.Parameter.Version != 1 {
		t.Fatalf("the unchanged parameter: %v %+v, want version 1", err, u2)
	}

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("params")})
	must(t, err)
	if _, err := sm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/team/cidr")}); err == nil || !strings.Contains(err.Error(), "ParameterNotFound") {
		t.Fatalf("after DeleteStack: %v, want ParameterNotFound", err)
	}
}
