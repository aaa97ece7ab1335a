# Round 15: an index put between a resource type and its name
# (sibabalwe47/ecs-cluster's aws_kms_key[0].this.arn): Terraform refuses
# the reference as naming no resource ("Invalid reference"); before,
# ecsnet said there was no variable named "aws_kms_key".
provider "aws" {
  region = "us-east-1"
}
resource "aws_kms_key" "this" {
  count = 1
}
resource "aws_cloudwatch_log_group" "this" {
  count = 1
  name  = "exec"
}
resource "aws_ecs_cluster" "this" {
  name = "exec"
  configuration {
    execute_command_configuration {
      kms_key_id = aws_kms_key[0].this.arn
      logging    = "OVERRIDE"
      log_configuration {
        cloud_watch_log_group_name = aws_cloudwatch_log_group.this[0].name
      }
    }
  }
}
