package cfn_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

func writeTemplate(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A Copilot-shaped pair, service first: the environment's exports
// (${AWS::StackName}-X) feed the service's imports (${AppName}-${EnvName}-X).
func TestLoadStacksCopilotShape(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{
		{Path: repoFile("internal/cfn/testdata/real/copilot-svc.yml"), Name: "demo-test-api", Parameters: map[string]string{"AppName": "demo", "EnvName": "test"}},
		{Path: repoFile("internal/cfn/testdata/real/copilot-env.yml"), Name: "demo-test",
			Parameters: map[string]string{"AppName": "demo", "EnvironmentName": "test", "ALBWorkloads": "api"}},
	}, cfn.LoadOptions{EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Stacks) != 2 || res.Stacks[0].Name != "demo-test" || res.Stacks[1].Name != "demo-test-api" {
		t.Fatalf("stacks deployed in the wrong order: %v", res.Stacks)
	}
	if res.PhysicalIDs["demo-test-api/Service"] == "" || res.PhysicalIDs["demo-test/PublicLoadBalancer"] == "" {
		t.Errorf("physical ids: %v", res.PhysicalIDs)
	}
	r := probe(t, res, "internet", res.PhysicalIDs["demo-test/PublicLoadBalancer"]+":80")
	if r.Verdict != "http 200" {
		t.Errorf("verdict %s: %s", r.Verdict, r.Summary)
	}
}

func TestImportValueRules(t *testing.T) {
	vpc := "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n"
	e := cfn.NewEngine()
	tpl, err := cfn.ParseTemplate("x.yaml", []byte(vpc+"Outputs:\n  Id:\n    Value: !Ref V\n    Export: {Name: !Sub '${AWS::StackName}-Vpc'}\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "net"})
	if err != nil {
		t.Fatal(err)
	}
	exports := map[string]cfn.Export{}
	for _, x := range s.Exports {
		exports[x.Name] = x
	}
	for name, c := range map[string]struct{ text, want string }{
		"sub in import": {"Parameters:\n  Net: {Type: String, Default: net}\nResources:\n  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !ImportValue {\"Fn::Sub\": \"${Net}-Vpc\"}\n      CidrBlock: 10.0.1.0/24\n", ""},
		"import of a resource": {vpc + "  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !ImportValue {\"Fn::Sub\": \"${V}-Vpc\"}\n      CidrBlock: 10.0.1.0/24\n",
			"Template error: the attribute in Fn::ImportValue must not depend on any resources, imported values, or Fn::GetAZs"},
		"export depends on a resource": {vpc + "Outputs:\n  X:\n    Value: !Ref V\n    Export: {Name: !Ref V}\n",
			"Output X is malformed. The Name field of Export must not depend on any resources, imported values, or Fn::GetAZs."},
		"export taken": {vpc + "Outputs:\n  X:\n    Value: !Ref V\n    Export: {Name: net-Vpc}\n", "Export with name net-Vpc is already exported by stack net"},
		"export name":  {vpc + "Outputs:\n  X:\n    Value: !Ref V\n    Export: {Name: 'a b'}\n", "The Name field of every Export member must be specified and consist only of alphanumeric characters, colons, or hyphens."},
		"missing":      {"Resources:\n  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !ImportValue other-Vpc\n      CidrBlock: 10.0.1.0/24\n", "No export named other-Vpc found"},
	} {
		tpl, err := cfn.ParseTemplate(name+".yaml", []byte(c.text))
		if err == nil {
			_, err = cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "app", Exports: exports})
		}
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

// Parameter Store parameters: AWS's public AMI parameters have a stand-in,
// --ssm gives any value, an unknown string is a placeholder said where it
// is used, and an unknown id is CloudFormation's error.
func TestSSMParameters(t *testing.T) {
	tmpl := `Parameters:
  Ami: {Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: /aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended/image_id}
  Cidr: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /team/vpc-cidr}
  Unused: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /cdk-bootstrap/hnb659fds/version}
Resources:
  V:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: !Ref Cidr}
Outputs:
  Ami: {Value: !Ref Ami}
`
	path := writeTemplate(t, tmpl)
	tpl, err := cfn.ReadTemplate(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{SSM: map[string]string{"/team/vpc-cidr": "10.7.0.0/16"}})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Output("Ami"); !strings.HasPrefix(v, "ami-") || s.Parameters["Cidr"] != "10.7.0.0/16" {
		t.Errorf("Ami %q, Cidr %q", v, s.Parameters["Cidr"])
	}
	for _, w := range s.Warnings {
		if !w.Detail {
			t.Errorf("warning %v: nothing here is a guess", w)
		}
	}
	_, err = cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{})
	if err == nil || !strings.Contains(err.Error(), "Value (10.0.0.0/16)") && !strings.Contains(err.Error(), "ssm:/team/vpc-cidr") {
		t.Errorf("a placeholder CIDR must fail where it is used, saying so: %v", err)
	}
	bad := writeTemplate(t, "Parameters:\n  Vpc: {Type: 'AWS::SSM::Parameter::Value<AWS::EC2::VPC::Id>', Default: /team/vpc}\n"+
		"Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: x, VpcId: !Ref Vpc}\n")
	_, err = cfn.Load(bad, nil)
	var ce *cfn.Error
	if !errors.As(err, &ce) || !strings.Contains(ce.Msg, "Unable to fetch parameters [/team/vpc] from parameter store for this account.") {
		t.Errorf("unknown id parameter: %v", err)
	}
}

// A key written twice: CloudFormation keeps the last value; ecsnet does
// too, and warns at the line.
func TestDuplicateKeysLastWins(t *testing.T) {
	for _, text := range []string{
		"Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.1.0.0/16\n      CidrBlock: 10.2.0.0/16\n",
		"{\"Resources\": {\"V\": {\"Type\": \"AWS::EC2::VPC\",\n \"Properties\": {\"CidrBlock\": \"10.1.0.0/16\",\n\n\n\n \"CidrBlock\": \"10.2.0.0/16\"}}}}",
	} {
		tpl, err := cfn.ParseTemplate("d.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		w := tpl.Warnings()
		if len(w) != 1 || w[0].Line != 6 || !strings.Contains(w[0].Msg, `duplicate key "CidrBlock"`) {
			t.Errorf("warnings %v", w)
		}
		s, err := cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Warnings) != 1 {
			t.Errorf("stack warnings %v", s.Warnings)
		}
		res, _ := cfn.Load(writeTemplate(t, text), nil)
		if st := state(res); st.VPCs[model.VpcID(res.PhysicalIDs["V"])].CIDR.String() != "10.2.0.0/16" {
			t.Errorf("CIDR %v, want the last value", st.VPCs[model.VpcID(res.PhysicalIDs["V"])].CIDR)
		}
	}
}

func TestTemplateParameters(t *testing.T) {
	tpl, err := cfn.ReadTemplate(repoFile("examples/cfn/stacks/service.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ps := tpl.Parameters()
	if len(ps) != 4 || ps[0].Name != "NetworkStack" || ps[0].Default != "network" || !ps[0].HasDefault || ps[2].Type != "Number" {
		t.Errorf("parameters %+v", ps)
	}
	if rs := tpl.Resources(); len(rs) != 5 || rs[4].LogicalID != "WebService" || rs[4].Type != "AWS::ECS::Service" {
		t.Errorf("resources %+v", rs)
	}
	if !strings.HasPrefix(tpl.Description(), "The service stack") {
		t.Errorf("description %q", tpl.Description())
	}
}
