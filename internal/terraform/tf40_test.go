package terraform_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

// tf40Provider pins the provider's major, so every refusal below is the
// one terraform validate (1.11.4, hashicorp/aws 5.100.0) gives.
const tf40Provider = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}
provider "aws" {
  region = "us-east-1"
}
`

// tf40OtherTypes are three resource types ecsnet does not read, each with
// a name their schema does not have.
const tf40OtherTypes = `
resource "aws_waf_web_acl" "acl" {
  name        = "acl"
  metric_name = "acl"

  default_action {
    type = "ALLOW"
  }

  rule {
    priority = 1
  }
}

resource "aws_s3_bucket" "logs" {
  bucket     = "logs"
  acl_policy = "private"
}

resource "aws_sqs_queue" "q" {
  name = "q"
  redrive {
    x = 1
  }
}
`

// TestTF40OtherTypesTopLevel: terraform validate refuses an argument or a
// block the provider's schema does not have in every resource type, not
// only those ecsnet reads: a web ACL of classic WAF written with WAFv2's
// rule blocks, an S3 bucket's and an SQS queue's unknown names. The three
// errors are terraform validate's for this configuration, word for word;
// ecsnet said none of them and read the configuration as valid. The same
// types written as the schema has them give no error.
func TestTF40OtherTypesTopLevel(t *testing.T) {
	bad := tf40Provider + tf40OtherTypes
	want := []string{
		`main.tf:18: aws_waf_web_acl.acl: Unsupported block type: Blocks of type "rule" are not expected here. Did you mean "rules"?`,
		`main.tf:25: aws_s3_bucket.logs: Unsupported argument: An argument named "acl_policy" is not expected here.`,
		`main.tf:30: aws_sqs_queue.q: Unsupported block type: Blocks of type "redrive" are not expected here.`,
	}
	dir := tfDir(t, map[string]string{"main.tf": bad})
	var got []string
	for _, e := range loadErrs(t, dir) {
		got = append(got, strings.TrimPrefix(e.Error(), dir+"/"))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	good := tf40Provider + `
resource "aws_waf_web_acl" "acl" {
  name        = "acl"
  metric_name = "acl"
  default_action {
    type = "ALLOW"
  }
  rules {
    priority = 1
    rule_id  = "r"
    action {
      type = "BLOCK"
    }
  }
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs"
  lifecycle {
    prevent_destroy = false
  }
}

resource "aws_sqs_queue" "q" {
  name           = "q"
  redrive_policy = "{}"
  count          = 1
}
`
	if _, err := terraform.Load(tfDir(t, map[string]string{"main.tf": good}), terraform.Options{}); err != nil {
		t.Errorf("the types as the schema has them: %v", err)
	}
}

// TestTF40ZeroContainerDefinition: the provider refuses, at validate, a
// container definition that decodes to the zero ContainerDefinition
// ({}, null, or only keys the shape does not have), with its index;
// terraform validate (1.11.4, hashicorp/aws 5.100.0) gave each refusal
// below word for word and took {"essential": false} and an empty
// portMappings (a value is not zero). ecsnet sent {} on to ECS and said
// "ClientException: Container.name should not be null or empty.", which
// terraform never reaches (edp-dx/aws-demo-python-lambda-1's
// `jsonencode([{}])`).
func TestTF40ZeroContainerDefinition(t *testing.T) {
	const head = "provider \"aws\" {\n  region = \"us-east-1\"\n}\nresource \"aws_ecs_task_definition\" \"t\" {\n  family                = \"t\"\n  container_definitions = jsonencode("
	for defs, want := range map[string]string{
		`[{}]`:          "invalid container definition supplied at index (0)",
		`[{ foo = 1 }]`: "invalid container definition supplied at index (0)",
		`[null]`:        "invalid container definition supplied at index (0)",
		`[{ name = "a", image = "x", memory = 128 }, {}]`: "invalid container definition supplied at index (1)",
		`[{ essential = false }]`:                         "Container.name should not be null or empty",
		`[{ portMappings = [] }]`:                         "Container.name should not be null or empty",
	} {
		_, err := terraform.Load(tfDir(t, map[string]string{"main.tf": head + defs + ")\n}\n"}), terraform.Options{})
		if err == nil || !strings.Contains(err.Error(), "main.tf:6: aws_ecs_task_definition.t: ") || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", defs, err, want)
		}
	}
}

// TestTF40OtherTypesAsTerraformValidates runs terraform validate on
// TestTF40OtherTypesTopLevel's configuration, with the provider from the
// filesystem mirror, and compares its errors (line, summary, detail) with
// ecsnet's. It needs terraform and hashicorp/aws in /opt/tf-plugins.
func TestTF40OtherTypesAsTerraformValidates(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform init and validate; skipped under -short")
	}
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not installed")
	}
	const plugins = "/opt/tf-plugins"
	if _, err := os.Stat(filepath.Join(plugins, "registry.terraform.io/hashicorp/aws")); err != nil {
		t.Skipf("no hashicorp/aws provider in the filesystem mirror %s", plugins)
	}
	dir := tfDir(t, map[string]string{"main.tf": tf40Provider + tf40OtherTypes})
	rc := filepath.Join(t.TempDir(), "tfrc")
	mirror := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [\"registry.terraform.io/hashicorp/*\"]\n  }\n  direct {\n    exclude = [\"registry.terraform.io/hashicorp/*\"]\n  }\n}\n", plugins)
	if err := os.WriteFile(rc, []byte(mirror), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []byte {
		cmd := exec.Command(tf, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
		out, _ := cmd.Output()
		return out
	}
	run("init", "-no-color", "-input=false")
	var v struct {
		Diagnostics []struct {
			Severity, Summary, Detail string
			Range                     struct{ Start struct{ Line int } }
		}
	}
	if err := json.Unmarshal(run("validate", "-json", "-no-color"), &v); err != nil {
		t.Fatalf("terraform validate -json: %v", err)
	}
	var want []string
	for _, d := range v.Diagnostics {
		if d.Severity == "error" {
			want = append(want, fmt.Sprintf("main.tf:%d: %s: %s", d.Range.Start.Line, d.Summary, d.Detail))
		}
	}
	var got []string
	for _, e := range loadErrs(t, dir) {
		// ecsnet names the resource after the line; terraform gives it
		// in the diagnostic's context.
		line, rest, _ := strings.Cut(strings.TrimPrefix(e.Error(), dir+"/"), ": ")
		_, msg, _ := strings.Cut(rest, ": ")
		got = append(got, line+": "+msg)
	}
	slices.Sort(want)
	slices.Sort(got)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("ecsnet:\n%s\nterraform validate:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTF40PinnedECSv3Arguments: terraform-aws-modules/ecs v2 and v3
// declare six variables (capacity_providers, container_insights,
// create_ecs, default_capacity_provider_strategy, name, tags: their
// READMEs' Inputs), so Terraform refuses any other argument of a call
// pinned to them, each at its line, as it refuses the v4 names.
// Dananjayagm/Terraform-project's call of 3.0.0 gives vpc_id and subnets;
// ecsnet refused only cluster_name and warned that its stand-in ignores
// the two.
func TestTF40PinnedECSv3Arguments(t *testing.T) {
	dir := tfDir(t, map[string]string{"main.tf": `provider "aws" {
  region = "us-west-2"
}

module "ecs_cluster" {
  source  = "terraform-aws-modules/ecs/aws"
  version = "3.0.0"

  name               = "ecs-cluster"
  vpc_id             = "vpc-0123456789abcdef0"
  subnets            = ["subnet-0123456789abcdef0"]
  capacity_providers = ["FARGATE"]
  tags               = { Name = "ecs-cluster" }
}
`})
	want := []string{
		`main.tf:10: module.ecs_cluster: Unsupported argument: An argument named "vpc_id" is not expected here: the call pins terraform-aws-modules/ecs/aws to "3.0.0" (v3), which declares no such variable`,
		`main.tf:11: module.ecs_cluster: Unsupported argument: An argument named "subnets" is not expected here: the call pins terraform-aws-modules/ecs/aws to "3.0.0" (v3), which declares no such variable`,
	}
	var got []string
	for _, e := range loadErrs(t, dir) {
		got = append(got, strings.TrimPrefix(e.Error(), dir+"/"))
	}
	slices.Sort(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	ok := tfDir(t, map[string]string{"main.tf": `provider "aws" {
  region = "us-west-2"
}

module "ecs_cluster" {
  source             = "terraform-aws-modules/ecs/aws"
  version            = "~> 3.0"
  name               = "ecs-cluster"
  create_ecs         = true
  container_insights = true
  capacity_providers = ["FARGATE"]
  default_capacity_provider_strategy = [{ capacity_provider = "FARGATE" }]
  tags               = { Name = "ecs-cluster" }
}
`})
	if _, err := terraform.Load(ok, terraform.Options{}); err != nil {
		t.Errorf("v3's six variables: %v", err)
	}
}
