package terraform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweep12UnpinnedModule: a registry module call without a version is
// read as the newest release (what `terraform init` installs), with a
// warning that says so; the arguments of an older release that the newest
// does not declare are refused as Terraform refuses them.
func TestSweep12UnpinnedModule(t *testing.T) {
	res := load(t, "testdata/sweep12-unpinned", nil)
	var sum string
	for _, w := range res.Warnings {
		sum += w.String() + "\n"
	}
	if !strings.Contains(sum, "main.tf:10") || !strings.Contains(sum, "the call gives no version, so `terraform init` installs the newest release (v6)") {
		t.Errorf("no warning about the version:\n%s", sum)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.Clusters) != 1 {
		t.Fatalf("%d clusters, want 1", len(st.Clusters))
	}
	for _, cl := range st.Clusters {
		if cl.Name != "latest" || len(cl.DefaultStrategy) != 1 || cl.DefaultStrategy[0].CapacityProvider != "FARGATE" {
			t.Errorf("cluster %s, strategy %+v", cl.Name, cl.DefaultStrategy)
		}
	}
	_, err := terraform.Load("testdata/sweep12-unpinned-v2", terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), `main.tf:10: module.ecs: Unsupported argument: an argument named "name" is not expected here`) ||
		!strings.Contains(err.Error(), "newest release of terraform-aws-modules/ecs/aws (v6)") {
		t.Errorf("err = %v, want name refused at main.tf:10", err)
	}
}

// TestSweep12CodeDeployIdleTargetGroup: the test listener of a CodeDeploy
// blue/green pair answers 503 between deployments (its target group is
// empty by design): exposure says so and does not list it as an entry
// point that fails; the production listener answers 200.
func TestSweep12CodeDeployIdleTargetGroup(t *testing.T) {
	res := load(t, "testdata/sweep12-codedeploy", nil)
	st, _ := res.Engine.Snapshot()
	rep := reach.Exposure(reach.Compile(st))
	var v80, v8080 string
	for _, e := range rep.Entries {
		if e.Kind != "load-balancer" {
			continue
		}
		api := strings.Contains(e.Rule, "/api/*")
		if api && e.Ports.From == 8080 {
			if !strings.Contains(e.Summary, "deployment of the service api (whose tasks are registered in api-tg-1)") {
				t.Errorf("8080 %s: %s", e.Rule, e.Summary)
			}
			continue
		}
		if api {
			continue
		}
		switch e.Ports.From {
		case 80:
			v80 = string(e.Verdict)
		case 8080:
			v8080 = string(e.Verdict)
			if !strings.Contains(e.Summary, "CodeDeploy blue/green deployment of the service app") {
				t.Errorf("8080: %s", e.Summary)
			}
		}
	}
	if v80 != string(reach.HTTP200) || v8080 != string(reach.HTTP503) {
		t.Errorf("80: %q, 8080: %q", v80, v8080)
	}
	if len(rep.Failing) != 0 {
		t.Errorf("failing: %+v", rep.Failing)
	}
	// Without the CODE_DEPLOY controller the empty group is a failure,
	// though the deployment group still names the pair: CodeDeploy no
	// longer deploys the service.
	for _, s := range st.Services {
		s.DeploymentController = ""
	}
	if len(st.CodeDeployGroups) != 1 {
		t.Errorf("%d deployment groups, want the configuration's one", len(st.CodeDeployGroups))
	}
	if rep := reach.Exposure(reach.Compile(st)); len(rep.Failing) != 2 {
		t.Errorf("ECS controller: %d failing, want 2", len(rep.Failing))
	}
}

// TestSweep12DeploymentConfiguration: the service's deployment arguments
// reach ECS (read back as DescribeServices gives them), and are not said
// unread.
func TestSweep12DeploymentConfiguration(t *testing.T) {
	res := load(t, "testdata/sweep12-deployment", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "deployment_") || strings.Contains(w.String(), "enable_execute_command") {
			t.Errorf("warning: %s", w)
		}
	}
	st, _ := res.Engine.Snapshot()
	got := map[string]string{}
	for _, s := range st.Services {
		dc := engine.ServiceDeploymentConfig(s)
		got[s.Name] = fmt.Sprintf("%d/%d cb=%v/%v exec=%v az=%s", dc.MaximumPercent, dc.MinimumHealthyPercent, dc.CircuitBreakerEnable, dc.CircuitBreakerRollback, s.EnableExecuteCommand, s.AZRebalancing)
	}
	want := map[string]string{"one": "100/0 cb=true/false exec=true az=DISABLED", "two": "200/100 cb=false/false exec=false az=ENABLED"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s", k, got[k], v)
		}
	}
}

// TestSweep12UndeclaredResource: a reference to a resource or data source
// the module does not declare is refused with Terraform's message, at
// every such reference (it said "Unknown variable").
func TestSweep12UndeclaredResource(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`data "aws_vpc" "default" {
  default = true
}
resource "aws_security_group" "a" {
  vpc_id = aws_vpc.default.id
}
resource "aws_security_group" "b" {
  vpc_id = data.aws_subnet_ids.x.vpc_id
}
`), 0o644)
	_, err := terraform.Load(dir, terraform.Options{})
	err = withoutWarnings(err) // the warnings Terraform prints with the errors follow them
	if err == nil || !strings.Contains(err.Error(), `main.tf:5: Reference to undeclared resource: A managed resource "aws_vpc" "default" has not been declared in the root module.
`) || !strings.HasSuffix(err.Error(), `main.tf:8: Reference to undeclared resource: A data resource "aws_subnet_ids" "x" has not been declared in the root module.`) {
		t.Errorf("err = %v", err)
	}
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`resource "aws_security_group" "b" {
  vpc_id = data.aws_subnet_ids.x.vpc_id
}
`), 0o644)
	_, err = terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.HasSuffix(err.Error(), `main.tf:2: Reference to undeclared resource: A data resource "aws_subnet_ids" "x" has not been declared in the root module.`) {
		t.Errorf("err = %v", err)
	}
}

// TestSweep12GatewayEndpointPrefixList: a Gateway endpoint gives its
// service's prefix list, and a group's rule to it is made.
func TestSweep12GatewayEndpointPrefixList(t *testing.T) {
	res := load(t, "testdata/sweep12-gateway-pl", nil)
	if res.Outputs["pl"] != "pl-63a5400a" {
		t.Errorf("prefix_list_id = %q, want pl-63a5400a", res.Outputs["pl"])
	}
	st, _ := res.Engine.Snapshot()
	found := false
	for _, g := range st.SecurityGroups {
		for _, r := range g.Egress {
			found = found || r.PrefixList == "pl-63a5400a"
		}
	}
	if !found {
		t.Error("no egress rule to the S3 prefix list")
	}
}

// TestSweep12ForEachRepositoryURL: a computed index before an attribute
// (aws_ecr_repository.x[each.key].repository_url) still gives the
// placeholder URL; an empty dynamic block is not said unread.
func TestSweep12ForEachRepositoryURL(t *testing.T) {
	res := load(t, "testdata/sweep12-foreach-ecr", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "load_balancer") {
			t.Errorf("warning: %s", w)
		}
	}
	st, _ := res.Engine.Snapshot()
	for _, td := range st.TaskDefinitions {
		if img := td.Containers[0].Image; img != "123456789012.dkr.ecr.us-east-1.amazonaws.com/app/worker:1" {
			t.Errorf("%s image %q", td.Family, img)
		}
	}
}

// TestSweep12SSMParameterOnBase: aws_ssm_parameter puts a parameter in
// Parameter Store; a data source of a configuration applied on it reads
// its value.
func TestSweep12SSMParameterOnBase(t *testing.T) {
	base := load(t, "testdata/sweep12-ssm/base", nil)
	st, _ := base.Engine.Snapshot()
	var vpc string
	for id := range st.VPCs {
		vpc = string(id)
	}
	if p := st.Parameters["/network/vpc_id"]; p == nil || p.Value != vpc || p.Type != "String" {
		t.Fatalf("parameter %+v, want the VPC %s", p, vpc)
	}
	res, err := terraform.Load("testdata/sweep12-ssm/app", terraform.Options{Base: base.Engine})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outputs["vpc_id"] != vpc || res.Outputs["version"] != "1" {
		t.Errorf("outputs %v, want vpc_id %s and version 1", res.Outputs, vpc)
	}
}

// TestSweep12StandInExpressionErrorAtCall: an expression error raised
// inside a stand-in (the user gave a string where the module takes a
// list) is placed at the user's module call, not at a stand-in line.
func TestSweep12StandInExpressionErrorAtCall(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "us-east-1"
}
module "svc" {
  source      = "terraform-aws-modules/ecs/aws//modules/service"
  version     = "~> 5.0"
  name        = "svc"
  cluster_arn = "arn:aws:ecs:us-east-1:123456789012:cluster/c"
  subnet_ids  = "subnet-1"
}
`), 0o644)
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || strings.Contains(err.Error(), "ecsnet-standin:") || !strings.Contains(err.Error(), "main.tf:4: module.svc") {
		t.Errorf("err = %v, want it at main.tf:4 (the call)", err)
	}
}

// TestSweep12LowerBoundModule: a constraint without an upper bound
// (">= 5.0") also gets the newest release, and says so.
func TestSweep12LowerBoundModule(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`module "ecs" {
  source       = "terraform-aws-modules/ecs/aws//modules/cluster"
  version      = ">= 5.0"
  cluster_name = "x"
}
`), 0o644)
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), `the call's version constraint ">= 5.0" has no upper bound, so `+"`terraform init`"+` installs the newest release`) {
		t.Errorf("err = %v", err)
	}
}

// TestSweep12NLBToALB: an NLB's alb-type target is followed to the ALB's
// node in the NLB node's zone (it said "no target in the zone" before round
// twelve), and since round thirty-one through the ALB to its targets: the
// probe ends in the ALB's HTTP answer.
func TestSweep12NLBToALB(t *testing.T) {
	res := load(t, "testdata/sweep12-nlb-alb", nil)
	r := probe(t, res.Engine, res.Names["aws_network_interface.client"], res.Names["aws_lb.nlb"]+":80")
	if r.Verdict.HTTPStatus() == 0 || r.HasCode(reach.CodeUnsupportedComponent) {
		t.Errorf("verdict %s, want the ALB's HTTP answer: %s", r.Verdict, r.Summary)
	}
}
