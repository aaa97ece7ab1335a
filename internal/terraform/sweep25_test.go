package terraform_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweep25DatabasePort: a container definition passing a database's
// port (aws_db_instance.x.port, not given in the configuration) was
// refused as "a value ecsnet does not know"; AWS gives the instance its
// engine's default port, which is what the definition now reads. Its
// db_name, given in the configuration, read as a placeholder
// ("spamoverflow_database-db"): it now reads as given.
func TestSweep25DatabasePort(t *testing.T) {
	res := load(t, "testdata/sweep25/db-port", nil)
	st, _ := res.Engine.Snapshot()
	found := false
	for _, td := range st.TaskDefinitions {
		for _, c := range td.Containers {
			for _, kv := range c.Environment {
				if kv.Name == "SQLALCHEMY_DATABASE_URI" {
					found = true
					if !strings.HasSuffix(kv.Value, ".amazonaws.com:5432/postgres") {
						t.Errorf("database URI %q: want the postgres engine's port 5432 and the db_name given", kv.Value)
					}
				}
			}
		}
	}
	if !found {
		t.Error("no task definition with the database URI")
	}
}

// TestSweep25PolicyBeforeTarget: an aws_appautoscaling_policy that names
// its service's resource ID itself, not through the aws_appautoscaling_target,
// does not wait for the target: Terraform may put the policy first and
// Application Auto Scaling refuses it (ObjectNotFoundException, as in
// cloudposse/terraform-aws-ecs-cloudwatch-autoscaling#36). ecsnet skipped
// the policy without a word; declared first it is now refused with the
// reference that orders them, declared after the target it is warned of.
// The same configuration reads an unmodeled resource's nested block by
// index (aws_elasticache_serverless_cache.x.endpoint[0].address), which
// was refused ("Invalid index: This value does not have any indices.":
// the endpoint placeholder was a string); it is now a block of one
// element, its address a host name and its port the engine's.
func TestSweep25PolicyBeforeTarget(t *testing.T) {
	dir := "testdata/sweep25/policy-race"
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "main.tf:66: aws_appautoscaling_policy.cpu: ObjectNotFoundException: No scalable target registered for service namespace: ecs, resource ID: service/main/app, scalable dimension: ecs:service:DesiredCount") ||
		!strings.Contains(err.Error(), "set resource_id = aws_appautoscaling_target.app.resource_id") {
		t.Fatalf("err = %v, want the policy refused with the reference that orders it", err)
	}
	// No error about the cache's endpoint[0].address: the definition read.
	if strings.Contains(err.Error(), "Invalid index") || strings.Contains(err.Error(), "container_definitions") {
		t.Errorf("err = %v: the container definition did not read", err)
	}
	// The target declared first: created first here, a warning says
	// Terraform may not order them so.
	tmp := t.TempDir()
	b, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	i, j := strings.Index(src, `resource "aws_appautoscaling_policy"`), strings.Index(src, `resource "aws_appautoscaling_target"`)
	os.WriteFile(filepath.Join(tmp, "main.tf"), []byte(src[:i]+src[j:]+"\n"+src[i:j]), 0o644)
	res := load(t, tmp, nil)
	warned := false
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w.Msg, "aws_appautoscaling_policy.cpu does not depend on aws_appautoscaling_target.app, which registers its scalable target")
	}
	if !warned {
		t.Errorf("no warning of the policy's order in %v", res.Warnings)
	}
	st, _ := res.Engine.Snapshot()
	found := false
	for _, td := range st.TaskDefinitions {
		for _, c := range td.Containers {
			for _, kv := range c.Environment {
				if kv.Name == "REDIS_HOST" {
					found = true
					if !strings.HasSuffix(kv.Value, ".us-east-1.amazonaws.com") {
						t.Errorf("REDIS_HOST = %q, want a host name", kv.Value)
					}
				}
			}
		}
	}
	if !found {
		t.Error("no container with REDIS_HOST")
	}
}

// TestSweep25ServiceLinkedRole: an aws_iam_service_linked_role for
// ecs.amazonaws.com fails in every account that has used ECS (ECS creates
// AWSServiceRoleForECS itself): "InvalidInput: Service role name
// AWSServiceRoleForECS has been taken in this account" (as
// Rayraegah/terraform-aws-hasura#17 and
// bcgov/startup-sample-project-aws-containers#13 met it). ecsnet skipped it
// without a word; it now warns. One with a custom suffix is not warned of.
func TestSweep25ServiceLinkedRole(t *testing.T) {
	res := load(t, "testdata/sweep25/service-linked-role", nil)
	var plain, suffixed bool
	for _, w := range res.Warnings {
		plain = plain || (w.Line == 6 && strings.Contains(w.Msg, "aws_iam_service_linked_role.ecs: ecs.amazonaws.com creates its service-linked role AWSServiceRoleForECS itself") &&
			strings.Contains(w.Msg, "Service role name AWSServiceRoleForECS has been taken in this account"))
		suffixed = suffixed || strings.Contains(w.Msg, "aws_iam_service_linked_role.suffixed")
	}
	if !plain || suffixed {
		t.Errorf("warnings: plain %v (want it), suffixed %v (want none):\n%v", plain, suffixed, res.Warnings)
	}
}

// TestSweep25NoProviderBlock: a configuration with no provider "aws" block
// takes its region from the environment; without one the provider stops
// ("Invalid AWS Region: "). ecsnet read it in us-east-1 without a word,
// so the refusal of its eu-central-1 zones came unexplained. The note now
// comes with the refusal, once (not again among the warnings); with
// AWS_REGION set, the configuration reads.
func TestSweep25NoProviderBlock(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	dir := "testdata/sweep25/no-provider"
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil {
		t.Fatal("loaded without an error; want the zone refused")
	}
	msg := err.Error()
	if !strings.Contains(msg, dir+`: no provider "aws" block and no region in the environment`) || !strings.Contains(msg, "Value (eu-central-1a) for parameter availabilityZone is invalid") {
		t.Errorf("err = %v, want the zone refused and why", err)
	}
	if strings.Count(msg, "no region in the environment") != 1 {
		t.Errorf("err = %v: the note said more than once", err)
	}
	t.Setenv("AWS_REGION", "eu-central-1")
	res := load(t, dir, nil)
	if res.Region != "eu-central-1" {
		t.Errorf("region %s, want AWS_REGION's", res.Region)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "no region") {
			t.Errorf("warning %q with AWS_REGION set", w.Msg)
		}
	}
}

// TestSweep25ContainerKeyTypo: a container definition's key that ECS's
// ContainerDefinition does not have ("portMapping", "essencial") is
// dropped by the provider's JSON decoding without a word, and ECS then
// refuses the service ("did not have a container port 80 defined") with
// nothing pointing at the typo. ecsnet now warns at container_definitions
// with the key it is near.
func TestSweep25ContainerKeyTypo(t *testing.T) {
	_, err := terraform.Load("testdata/sweep25/container-key-typo", terraform.Options{})
	var le *terraform.LoadError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "main.tf:92: aws_ecs_service.web: InvalidParameterException: The container web did not have a container port 80 defined.") {
		t.Fatalf("err = %v, want the service refused with the warnings", err)
	}
	want := map[string]bool{`"portMapping", which is not a key of an ECS container definition (portMappings?)`: false,
		`"essencial", which is not a key of an ECS container definition (essential?)`: false}
	for _, w := range le.Warnings {
		for k := range want {
			if w.Line == 72 && strings.Contains(w.Msg, "container_definitions[0] (web) has "+k) {
				want[k] = true
			}
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("no warning %s in %v", k, le.Warnings)
		}
	}
}

// TestSweep25BareName: a value written without quotes (name =
// ecs-cluster-name) is a reference Terraform reads as a resource type
// without its name: "Invalid reference: A reference to a resource type
// must be followed by at least one attribute access, specifying the
// resource name." (terraform validate of the configuration it follows). ecsnet said
// "Unknown variable". The undeclared references follow, as Terraform
// lists them.
func TestSweep25BareName(t *testing.T) {
	_, err := terraform.Load("testdata/sweep25/bare-name", terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "main.tf:10: Invalid reference: A reference to a resource type must be followed by at least one attribute access, specifying the resource name.") ||
		strings.Contains(err.Error(), "Unknown variable") ||
		!strings.Contains(err.Error(), `main.tf:24: Reference to undeclared resource: A managed resource "aws_lb" "loadbalancer" has not been declared in the root module.`) {
		t.Errorf("err = %v", err)
	}
	// A dynamic block's iterator, a for expression's symbol and
	// ignore_changes' attribute names are not such references.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags       = { for k in ["a"] : k => k }
  lifecycle {
    ignore_changes = [tags]
  }
}
resource "aws_security_group" "g" {
  vpc_id = aws_vpc.v.id
  dynamic "ingress" {
    for_each = [80]
    iterator = port
    content {
      from_port   = port.value
      to_port     = port.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
`), 0o644)
	load(t, dir, nil)
}

// TestSweep25ExternalInstanceProfile: a launch template naming an instance
// profile the configuration neither creates nor reads ("ecsInstanceRole")
// needs it in the account; applied against `ecsnet serve` (a new account)
// Terraform's CreateAutoScalingGroup failed "ValidationError: You must use
// a valid fully-formed launch template. Value (ecsInstanceRole) for
// parameter iamInstanceProfile.name is invalid. Invalid IAM Instance
// Profile name", while ecsnet check said nothing. It now warns; a profile
// the configuration makes is not warned of.
func TestSweep25ExternalInstanceProfile(t *testing.T) {
	_, err := terraform.Load("testdata/sweep25/container-key-typo", terraform.Options{})
	var le *terraform.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want a LoadError", err)
	}
	warned := false
	for _, w := range le.Warnings {
		warned = warned || strings.Contains(w.Msg, `aws_launch_template.ecs names the instance profile "ecsInstanceRole", which this configuration neither creates nor reads`) &&
			strings.Contains(w.Msg, "Invalid IAM Instance Profile name")
	}
	if !warned {
		t.Errorf("no instance profile warning in %v", le.Warnings)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "us-east-1"
}
resource "aws_iam_role" "r" {
  name               = "ecs-instance"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}
resource "aws_iam_instance_profile" "p" {
  name = "ecs-instance"
  role = aws_iam_role.r.name
}
resource "aws_launch_template" "lt" {
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  iam_instance_profile {
    name = aws_iam_instance_profile.p.name
  }
}
`), 0o644)
	for _, w := range load(t, dir, nil).Warnings {
		if strings.Contains(w.Msg, "neither creates nor reads") {
			t.Errorf("warning %q for a profile the configuration makes", w.Msg)
		}
	}
}

// TestSweep25EIPv6: aws_eip's vpc argument, removed in hashicorp/aws
// v6.0.0, in a configuration constrained ">= 4.31.0" (so `terraform init`
// installs v6) is refused as Terraform refuses it.
func TestSweep25EIPv6(t *testing.T) {
	_, err := terraform.Load("testdata/sweep25/eip-v6", terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), `main.tf:17: aws_eip.nat: Unsupported argument: An argument named "vpc" is not expected here`) ||
		!strings.Contains(err.Error(), `v6.0.0 removed it (domain = "vpc" replaces it)`) {
		t.Errorf("err = %v", err)
	}
}

// TestSweep25Undeclared: a configuration in the middle of an edit is
// refused with Terraform's references errors, each at its line (terraform
// validate names the same variable, resource and local values).
func TestSweep25Undeclared(t *testing.T) {
	_, err := terraform.Load("testdata/sweep25/undeclared", terraform.Options{Vars: map[string]string{"name": "web"}})
	for _, want := range []string{
		`main.tf:13: Reference to undeclared input variable: An input variable with the name "no_loadbalancer" has not been declared.`,
		`main.tf:33: Reference to undeclared local value: A local value with the name "region" has not been declared.`,
		`main.tf:40: Reference to undeclared resource: A managed resource "aws_alb_target_group" "main" has not been declared in the root module.`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant %s", err, want)
		}
	}
}

// TestSweep25ModuleArguments: a local module call's arguments that the
// module does not declare, and its required variables the call leaves
// out, are refused when Terraform loads the configuration ("Unsupported
// argument: An argument named "subnet_public_id" is not expected here.
// Did you mean "subnet_public_id_a"?", "Missing required argument: The
// argument "alb_sg_id" is required, but no definition was found.", as
// terraform validate says them). ecsnet said none of them: the call
// waited on module outputs that failed first. They are now said with the
// undeclared references.
func TestSweep25ModuleArguments(t *testing.T) {
	_, err := terraform.Load("testdata/sweep25/module-args", terraform.Options{Vars: map[string]string{"name_prefix": "sbx"}})
	for _, want := range []string{
		`main.tf:10: Missing required argument: The argument "alb_sg_id" is required, but no definition was found.`,
		`main.tf:10: Missing required argument: The argument "subnet_public_id_c" is required, but no definition was found.`,
		`main.tf:13: Unsupported argument: An argument named "subnet_public_id" is not expected here. Did you mean "subnet_public_id_a"?`,
		`main.tf:14: Unsupported argument: An argument named "sg_id" is not expected here.`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant %s", err, want)
		}
	}
}

// TestSweep25ExternalProfileThroughModule: a launch template in a module
// whose instance profile name comes from the caller (a module variable,
// there the name of a profile the configuration makes) is not warned of.
func TestSweep25ExternalProfileThroughModule(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "lt"), 0o755)
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "us-east-1"
}
resource "aws_iam_role" "r" {
  name               = "ecs-instance"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}
resource "aws_iam_instance_profile" "p" {
  name = "ecs-instance"
  role = aws_iam_role.r.name
}
module "lt" {
  source  = "./lt"
  profile = aws_iam_instance_profile.p.name
}
`), 0o644)
	os.WriteFile(filepath.Join(dir, "lt", "main.tf"), []byte(`variable "profile" {}
resource "aws_launch_template" "lt" {
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  iam_instance_profile {
    name = var.profile
  }
}
`), 0o644)
	for _, w := range load(t, dir, nil).Warnings {
		if strings.Contains(w.Msg, "neither creates nor reads") {
			t.Errorf("warning %q for a profile the caller makes", w.Msg)
		}
	}
	// A dynamic iam_instance_profile block (the autoscaling stand-in's,
	// whose arn is the module's own profile or its input) is judged by its
	// content: not warned of.
	for _, w := range load(t, "testdata/standin-ecs", nil).Warnings {
		if strings.Contains(w.Msg, "neither creates nor reads") {
			t.Errorf("standin-ecs: warning %q", w.Msg)
		}
	}
}

// TestSweep25QuotedIgnoreChanges: attribute names quoted in ignore_changes
// (Terraform 0.11's form) are taken with Terraform's "Quoted references
// are deprecated" warning, one per name, as for depends_on (terraform
// validate warns of rstraining4/terraform-ecs-ec2's six so); ecsnet said
// nothing of them.
func TestSweep25QuotedIgnoreChanges(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  lifecycle {
    ignore_changes = ["tags", cidr_block]
  }
}
`), 0o644)
	n := 0
	for _, w := range load(t, dir, nil).Warnings {
		if strings.Contains(w.Msg, "Quoted references are deprecated") && w.Line == 7 {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d quoted-reference warnings at line 7, want 1 (for \"tags\")", n)
	}
}

// TestSweep25NoRegionNoteNotForPlans: a plan or a state was made with a
// region, so the note of a configuration without one is not said of them.
func TestSweep25NoRegionNoteNotForPlans(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	for _, f := range []string{"testdata/plan.json", "testdata/state.json"} {
		res, err := terraform.LoadJSON(f, terraform.Options{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, w := range res.Warnings {
			if strings.Contains(w.Msg, "no region in the environment") {
				t.Errorf("%s: %s", f, w.Msg)
			}
		}
	}
}

// TestSweep25MissingArgumentText: a required argument left out is said in
// Terraform's words ("Missing required argument: The argument
// "listener_arn" is required, but no definition was found.", as terraform
// validate says it of a listener rule written as a listener); ecsnet's
// text began "the argument" and had no full stop.
func TestSweep25MissingArgumentText(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "us-east-1"
}
resource "aws_lb_listener_rule" "main" {
  priority = 100
}
`), 0o644)
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), `main.tf:4: aws_lb_listener_rule.main: Missing required argument: The argument "listener_arn" is required, but no definition was found.`) {
		t.Errorf("err = %v", err)
	}
}

// TestSweep25ListenerRuleBlocks: a listener rule without a condition (or an
// action) block is refused by the provider's schema at validate
// ("Insufficient condition blocks: At least 1 "condition" blocks are
// required."), before ELB's "A rule must have at least one condition",
// which ecsnet said.
func TestSweep25ListenerRuleBlocks(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_internet_gateway" "g" {
  vpc_id = aws_vpc.v.id
}
resource "aws_lb" "lb" {
  subnets = [aws_subnet.a.id, aws_subnet.b.id]
}
resource "aws_lb_target_group" "tg" {
  name     = "tg"
  port     = 80
  protocol = "HTTP"
  vpc_id   = aws_vpc.v.id
}
resource "aws_lb_listener" "l" {
  load_balancer_arn = aws_lb.lb.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tg.arn
  }
}
resource "aws_lb_listener_rule" "main" {
  listener_arn = aws_lb_listener.l.arn
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tg.arn
  }
}
`), 0o644)
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), `main.tf:37: aws_lb_listener_rule.main: Insufficient condition blocks: At least 1 "condition" blocks are required.`) {
		t.Errorf("err = %v", err)
	}
}
