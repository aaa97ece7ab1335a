# An ECS scheduled task: an EventBridge rule (cron) whose target runs a
# Fargate task in a public subnet with a public IP, the role EventBridge
# calls RunTask with, and a second, disabled rule with an event pattern.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "task" {
  name   = "report"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_cluster" "batch" {
  name = "batch"
}

resource "aws_iam_role" "events" {
  name = "ecsEventsRole"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "events.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_ecs_task_definition" "report" {
  family                   = "report"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name      = "report"
    image     = "public.ecr.aws/docker/library/busybox:latest"
    essential = true
  }])
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly-report"
  description         = "the nightly report"
  schedule_expression = "cron(0 3 * * ? *)"
  tags                = { team = "reports" }
}

resource "aws_cloudwatch_event_rule" "on_push" {
  name          = "on-image-push"
  state         = "DISABLED"
  event_pattern = jsonencode({ source = ["aws.ecr"], "detail-type" = ["ECR Image Action"] })
}

resource "aws_cloudwatch_event_target" "report" {
  rule      = aws_cloudwatch_event_rule.nightly.name
  target_id = "report"
  arn       = aws_ecs_cluster.batch.arn
  role_arn  = aws_iam_role.events.arn
  ecs_target {
    task_definition_arn = aws_ecs_task_definition.report.arn
    task_count          = 1
    launch_type         = "FARGATE"
    group               = "reports"
    network_configuration {
      subnets          = [aws_subnet.public.id]
      security_groups  = [aws_security_group.task.id]
      assign_public_ip = true
    }
  }
}
