# Arguments hashicorp/aws 5.100.0 deprecates, on an ECS container
# instance's neighbours: terraform validate warns of each.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "core" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "nodes" {
  vpc_id            = aws_vpc.core.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_cloudwatch_log_group" "flows" {
  name = "/vpc/core/flows"
}

resource "aws_iam_role" "flows" {
  name = "core-flow-logs"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "vpc-flow-logs.amazonaws.com" } }]
  })
}

resource "aws_flow_log" "core" {
  vpc_id         = aws_vpc.core.id
  traffic_type   = "REJECT"
  iam_role_arn   = aws_iam_role.flows.arn
  log_group_name = aws_cloudwatch_log_group.flows.name
}

resource "aws_instance" "bastion" {
  ami                  = "ami-0c1bc246476a5572b"
  instance_type        = "m5.large"
  subnet_id            = aws_subnet.nodes.id
  cpu_core_count       = 1
  cpu_threads_per_core = 2
}

resource "aws_launch_template" "nodes" {
  name_prefix   = "ecs-nodes-"
  image_id      = "ami-0c1bc246476a5572b"
  instance_type = "g4dn.xlarge"

  elastic_gpu_specifications {
    type = "eg1.medium"
  }

  dynamic "elastic_inference_accelerator" {
    for_each = ["eia2.medium"]
    content {
      type = elastic_inference_accelerator.value
    }
  }
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly-report"
  schedule_expression = "cron(0 3 * * ? *)"
  is_enabled          = false
}
