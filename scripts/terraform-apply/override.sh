#!/usr/bin/env bash
# Prints a Terraform override file that points the AWS provider at URL
# (ecsnet serve). Used by run.sh; the Go test writes the same file.
url=${1:?usage: override.sh URL}
cat <<HCL
provider "aws" {
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = false
  s3_use_path_style           = true
  endpoints {
HCL
for s in acm appautoscaling autoscaling cloudformation cloudwatch cloudwatchlogs codedeploy ec2 ecr ecs efs elb elbv2 events iam kms lambda networkfirewall route53 s3 secretsmanager servicediscovery sqs ssm sts; do
  printf '    %-16s = "%s"\n' "$s" "$url"
done
cat <<HCL
  }
}
HCL
