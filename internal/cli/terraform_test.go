package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A Terraform root module folder and `terraform show -json` output are
// SOURCEs; --from/--to take resource addresses.
func TestTerraformSources(t *testing.T) {
	code, out, errs := run(t, "probe", "examples/terraform/article", "--from", "internet", "--to", "203.0.113.2:3000")
	if code != ExitFailed || !strings.Contains(out, "TIMEOUT") {
		t.Errorf("article: exit %d, want a timeout:\n%s\n%s", code, out, errs)
	}
	code, out, errs = run(t, "probe", "examples/terraform/article", "--param", "enable_alb=true", "--from", "internet", "--to", "aws_lb.web[0]")
	if code != ExitOK || !strings.Contains(out, "HTTP 200") {
		t.Errorf("article with the ALB: exit %d:\n%s\n%s", code, out, errs)
	}
	code, out, errs = run(t, "probe", "examples/terraform/article", "--from", "aws_autoscaling_group.ecs/0", "--to", "aws_ecs_service.web:3000")
	if code != ExitOK || !strings.Contains(out, "CONNECTED") {
		t.Errorf("by address: exit %d:\n%s\n%s", code, out, errs)
	}
	code, out, errs = run(t, "probe", "examples/terraform/article", "--from", "ecs-asg/0", "--to", "web")
	if code != ExitOK || !strings.Contains(out, "(aws_ecs_service.web, service web)") {
		t.Errorf("endpoints named by address: exit %d:\n%s\n%s", code, out, errs)
	}
	code, out, errs = run(t, "show", "internal/terraform/testdata/state.json")
	if code != ExitOK || !strings.Contains(out, "task api/0") {
		t.Errorf("state JSON: exit %d:\n%s\n%s", code, out, errs)
	}
	code, _, errs = run(t, "probe", "examples/terraform/article", "--param", "instance_type=t2.nano", "--from", "internet", "--to", "203.0.113.2:3000")
	if code == ExitOK || !strings.Contains(errs, "variables.tf:16") {
		t.Errorf("a failing validation: exit %d, want variables.tf:16 on stderr:\n%s", code, errs)
	}
	vf := filepath.Join(t.TempDir(), "alb.tfvars")
	os.WriteFile(vf, []byte("enable_alb = true\n"), 0o644)
	code, out, errs = run(t, "probe", "examples/terraform/article", "--parameters", vf, "--from", "internet", "--to", "aws_lb.web[0]")
	if code != ExitOK || !strings.Contains(out, "HTTP 200") {
		t.Errorf("--parameters as -var-file: exit %d:\n%s\n%s", code, out, errs)
	}
}

// Fixes on a Terraform source also come as changes to the configuration:
// an inline block where the resource has inline rules, a new resource
// where it has none.
func TestTerraformFixesAsConfiguration(t *testing.T) {
	code, out, errs := run(t, "probe", "examples/terraform/article", "--from", "internet", "--to", "203.0.113.2:3000")
	if code != ExitFailed || !strings.Contains(out, "in the configuration") ||
		!strings.Contains(out, "main.tf:56: aws_security_group.instance (aws_security_group): add an ingress block") ||
		!strings.Contains(out, `network_mode = "bridge"`) {
		t.Errorf("article: exit %d:\n%s\n%s", code, out, errs)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "g" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "s" {
  vpc_id                  = aws_vpc.v.id
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true
}
resource "aws_route_table" "r" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.g.id
  }
}
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.s.id
  route_table_id = aws_route_table.r.id
}
resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.v.id
}
resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}
resource "aws_instance" "web" {
  ami                    = "ami-0c1f2a3b4d5e6f708"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.s.id
  vpc_security_group_ids = [aws_security_group.web.id]
  tags                   = { Name = "web" }
}
`), 0o644)
	code, out, errs = run(t, "probe", dir, "--from", "internet", "--to", "aws_instance.web:22")
	if code != ExitFailed || !strings.Contains(out, `resource "aws_vpc_security_group_ingress_rule" "web_ingress_22"`) ||
		!strings.Contains(out, "security_group_id = aws_security_group.web.id") {
		t.Errorf("standalone rules: exit %d:\n%s\n%s", code, out, errs)
	}
}

// --base: a configuration applied on top of an existing system.
func TestTerraformOnBase(t *testing.T) {
	code, out, errs := run(t, "probe", "internal/terraform/testdata/onbase", "--base", "examples/seed/article.yaml", "--from", "internet", "--to", "aws_ecs_service.api:3000")
	if code != ExitOK || !strings.Contains(out, "CONNECTED") {
		t.Errorf("exit %d:\n%s\n%s", code, out, errs)
	}
	code, _, errs = run(t, "probe", "internal/terraform/testdata/onbase", "--from", "internet", "--to", "aws_ecs_service.api:3000")
	if code == ExitOK || !strings.Contains(errs, "main.tf:3") || !strings.Contains(errs, "--base") {
		t.Errorf("without --base: exit %d, want the data source's error naming --base:\n%s", code, errs)
	}
}

// A task named as SERVICE/N of a Terraform source (no stacks): the probe
// answers (it crashed naming the endpoint), and stand-in modules'
// resources get no HCL change (they have no file of the configuration).
func TestTerraformTaskEndpointAndStandIns(t *testing.T) {
	code, out, errs := run(t, "probe", "internal/terraform/testdata/standin", "--from", "shop", "--to", "app/0:22")
	if code != ExitFailed || !strings.Contains(out, "ECS_NO_LISTENER") || strings.Contains(out+errs, "ecsnet-standin:") {
		t.Errorf("exit %d, want ECS_NO_LISTENER and no stand-in file:\n%s\n%s", code, out, errs)
	}
	code, out, errs = run(t, "probe", "internal/terraform/testdata/standin", "--from", "internet", "--to", "app/0:3000")
	if code != ExitFailed || strings.Contains(out+errs, "ecsnet-standin:") {
		t.Errorf("exit %d, want a failure without changes to stand-in files:\n%s\n%s", code, out, errs)
	}
}

// A Terraform configuration given as --base keeps the ids it has when
// read alone: ids copied from `ecsnet show` of it match.
func TestTerraformBaseKeepsIDs(t *testing.T) {
	const base = "internal/terraform/testdata/sweep12-codedeploy"
	code, alone, errs := run(t, "show", base)
	if code != ExitOK {
		t.Fatalf("show %s: exit %d:\n%s", base, code, errs)
	}
	vpc := regexp.MustCompile(`vpc-[0-9a-f]{17}`).FindString(alone)
	if vpc == "" {
		t.Fatalf("no VPC id in:\n%s", alone)
	}
	code, on, errs := run(t, "show", "internal/terraform/testdata/sweep12-onbase", "--base", base)
	if code != ExitOK || !strings.Contains(on, vpc) {
		t.Errorf("on --base: exit %d, want the base's %s:\n%s\n%s", code, vpc, on, errs)
	}
}

// A task of a Terraform service named ADDRESS/N (with or without :PORT)
// resolves to the service's task: it was taken for the service's ARN
// followed by /N.
func TestTerraformTaskByAddress(t *testing.T) {
	code, out, errs := run(t, "probe", "-q", "internal/terraform/testdata/sweep12-codedeploy", "--from", "aws_ecs_service.app/1", "--to", "aws_ecs_service.api/0:3000")
	if code != ExitFailed || !strings.Contains(out, "(task app/1) → aws_ecs_service.api/0:3000 (task api/0), tcp/3000: TIMEOUT") {
		t.Errorf("exit %d:\n%s\n%s", code, out, errs)
	}
}

// The test listener of a CodeDeploy blue/green pair answers 503 between
// deployments: the probe says why, and offers no fix that forwards it to
// the service's group (CodeDeploy switches the listeners).
func TestTerraformCodeDeployIdleNoFix(t *testing.T) {
	_, out, errs := run(t, "probe", "-q", "internal/terraform/testdata/sweep12-codedeploy", "--from", "internet", "--to", "aws_lb.app:8080")
	if !strings.Contains(out, "HTTP 503") || !strings.Contains(out, "CodeDeploy blue/green deployment of the service app") || strings.Contains(out, "Forward the listener") {
		t.Errorf("want the 503 explained and no forwarding fix:\n%s\n%s", out, errs)
	}
}
