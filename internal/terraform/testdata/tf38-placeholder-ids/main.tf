# Written for round thirty-eight: instances of types ecsnet does not model
# (IAM policy attachments, SQS queues without names, a module called with
# count), each of which AWS gives an id of its own, used as the keys of a
# map as configurations do.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_iam_role" "task" {
  name = "task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "task" {
  for_each   = toset(["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"])
  role       = aws_iam_role.task.name
  policy_arn = each.value
}

resource "aws_sqs_queue" "work" {
  count = 3
}

module "queue" {
  source = "./modules/queue"
  count  = 2
}

locals {
  attachment_by_id = { for k, a in aws_iam_role_policy_attachment.task : a.id => k }
  queue_by_id      = { for i, q in aws_sqs_queue.work : q.id => i }
  queue_by_arn     = { for i, q in aws_sqs_queue.work : q.arn => i }
  module_by_id     = { for i, m in module.queue : m.id => i }
}

output "attachments" {
  value = length(local.attachment_by_id)
}

output "queues" {
  value = length(local.queue_by_id) + length(local.queue_by_arn)
}

output "modules" {
  value = length(local.module_by_id)
}

output "queue_ids" {
  value = join(",", concat(aws_sqs_queue.work[*].id, module.queue[*].id))
}
