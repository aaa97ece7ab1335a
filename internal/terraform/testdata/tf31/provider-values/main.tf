terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}
provider "aws" { region = "us-east-1" }

resource "aws_vpc" "main" {
  cidr_block       = "10.0.0.1/16"
  instance_tenancy = "shared"
}
resource "aws_subnet" "a" {
  vpc_id     = "vpc-123"
  cidr_block = "10.0.300.0/24"
}
resource "aws_security_group_rule" "in" {
  type              = "inbound"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0", "10.1.2.3/8"]
  security_group_id = "sg-123"
}
resource "aws_lb" "web" {
  name               = "web_frontend-load-balancer-too-long-x"
  load_balancer_type = "app"
}
resource "aws_lb" "web2" {
  name = "-web"
}
resource "aws_lb_target_group" "app" {
  name        = "app_tg"
  port        = 70000
  protocol    = "HTTPX"
  target_type = "container"
  vpc_id      = "vpc-123"
  health_check {
    interval            = 1
    healthy_threshold   = 11
    timeout             = 200
  }
}
resource "aws_lb_listener" "l" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1"
  port              = 0
  protocol          = "HTTPZ"
  default_action {
    type             = "forwarder"
    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app/1"
  }
}
resource "aws_launch_template" "lt" {
  name = "lt"
}
resource "aws_launch_template" "lt2" {
  name_prefix = "this-prefix-is-way-too-long-for-a-launch-template-name-prefix-which-allows-ninety-nine-characters-xx"
}
resource "aws_launch_template" "lt3" {
  name = "bad name!"
}
resource "aws_ecs_service" "s" {
  name                = "s"
  launch_type         = "SPOT"
  scheduling_strategy = "ALL"
  propagate_tags      = "CLUSTER"
}
resource "aws_ecs_task_definition" "t" {
  family                   = "t"
  network_mode             = "vpc"
  requires_compatibilities = ["FARGATE", "LAMBDA"]
  container_definitions    = "[]"
}
resource "aws_placement_group" "pg" {
  name            = "pg"
  strategy        = "close"
  partition_count = 9
  spread_level    = "zone"
}
resource "aws_autoscaling_group" "g" {
  max_size = 1
  min_size = 1
  health_check_type = "HTTP"
}
