package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// partitionTF is read with its provider in a China or GovCloud region:
// every ARN it makes and reads is in that region's partition, and
// data "aws_partition" answers it.
const partitionTF = `
provider "aws" {
  region = "REGION"
}

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_iam_role" "task" {
  name               = "task"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}

resource "aws_cloudwatch_log_group" "app" {
  name = "/ecs/app"
}

resource "aws_ecr_repository" "app" {
  name = "app"
}

resource "aws_s3_bucket" "logs" {
  bucket = "app-logs-0001"
}

resource "aws_ssm_parameter" "db" {
  name  = "/app/db"
  type  = "String"
  value = "db.internal"
}

resource "aws_route53_zone" "corp" {
  name = "corp.example"
}

output "partition" { value = data.aws_partition.current.partition }
output "dns_suffix" { value = data.aws_partition.current.dns_suffix }
output "reverse" { value = data.aws_partition.current.reverse_dns_prefix }
output "endpoint" { value = data.aws_region.current.endpoint }
output "caller" { value = data.aws_caller_identity.current.arn }
output "role" { value = aws_iam_role.task.arn }
output "logs" { value = aws_cloudwatch_log_group.app.arn }
output "ecr" { value = aws_ecr_repository.app.arn }
output "bucket" { value = aws_s3_bucket.logs.arn }
output "param" { value = aws_ssm_parameter.db.arn }
output "zone" { value = aws_route53_zone.corp.arn }
`

func TestTerraformPartitionARNs(t *testing.T) {
	for _, tc := range []struct{ region, partition, suffix, reverse string }{
		{"cn-north-1", "aws-cn", "amazonaws.com.cn", "cn.com.amazonaws"},
		{"us-gov-west-1", "aws-us-gov", "amazonaws.com", "com.amazonaws"},
		{"us-east-1", "aws", "amazonaws.com", "com.amazonaws"},
	} {
		t.Run(tc.region, func(t *testing.T) {
			dir := t.TempDir()
			src := []byte(strings.ReplaceAll(partitionTF, "REGION", tc.region))
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), src, 0o644); err != nil {
				t.Fatal(err)
			}
			res := load(t, dir, nil)
			p, r := tc.partition, tc.region
			acct := res.Outputs["caller"][len("arn:"+p+":iam::"):]
			acct = acct[:len(acct)-len(":user/ecsnet")]
			want := map[string]string{
				"partition":  p,
				"dns_suffix": tc.suffix,
				"reverse":    tc.reverse,
				"endpoint":   "ec2." + r + "." + tc.suffix,
				"caller":     "arn:" + p + ":iam::" + acct + ":user/ecsnet",
				"role":       "arn:" + p + ":iam::" + acct + ":role/task",
				"logs":       "arn:" + p + ":logs:" + r + ":" + acct + ":log-group:/ecs/app",
				"ecr":        "arn:" + p + ":ecr:" + r + ":" + acct + ":repository/app",
				"bucket":     "arn:" + p + ":s3:::app-logs-0001",
				"param":      "arn:" + p + ":ssm:" + r + ":" + acct + ":parameter/app/db",
			}
			for k, v := range want {
				if got := res.Outputs[k]; got != v {
					t.Errorf("output %s = %q, want %q", k, got, v)
				}
			}
			if z := res.Outputs["zone"]; len(z) < len("arn:"+p+":route53:::hostedzone/") || z[:len("arn:"+p+":route53:::hostedzone/")] != "arn:"+p+":route53:::hostedzone/" {
				t.Errorf("output zone = %q, want arn:%s:route53:::hostedzone/…", z, p)
			}
		})
	}
}
