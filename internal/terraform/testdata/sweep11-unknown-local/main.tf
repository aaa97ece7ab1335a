# A required argument unknown through a local value: the error names the
# data source that is unknown, not the known references beside it.
data "aws_s3_object" "config" {
  bucket = "settings"
  key    = "cluster.txt"
}
resource "aws_cloudwatch_log_group" "logs" {
  name = "logs"
}
locals {
  prefix = aws_cloudwatch_log_group.logs.name
  name   = "${local.prefix}-${data.aws_s3_object.config.body}"
}
resource "aws_ecs_cluster" "main" {
  name = local.name
}
