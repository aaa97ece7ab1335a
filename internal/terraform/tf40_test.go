package terraform_test

import (
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

// TestTF40OtherTypesTopLevel: terraform validate refuses an argument or a
// block the provider's schema does not have in every resource type, not
// only those ecsnet reads: a web ACL of classic WAF written with WAFv2's
// rule blocks, an S3 bucket's and an SQS queue's unknown names. The three
// errors are terraform validate's for this configuration, word for word;
// ecsnet said none of them and read the configuration as valid. The same
// types written as the schema has them give no error.
func TestTF40OtherTypesTopLevel(t *testing.T) {
	bad := tf40Provider + `
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
