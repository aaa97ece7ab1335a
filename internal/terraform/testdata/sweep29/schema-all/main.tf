# A web service whose author wrote several arguments from memory: each
# mistake is one of terraform validate's errors, all listed at once.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.60.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.60.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_lb" "web" {
  name            = "web"
  subnets         = [aws_subnet.a.id, aws_subnet.b.id]
  security_group  = []
  arn             = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1"
  idle_timout     = 120
  prevent_destroy = true
}

resource "aws_lb_target_group" "web" {
  name        = "web"
  port        = 8080
  protocol    = "HTTP"
  vpc_id      = aws_vpc.main.id
  target_type = "ip"
  health_check = {
    path = "/healthz"
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_lb_listener_rule" "api" {
  priority = 10
}

resource "aws_ecs_cluster" "main" {
  name = "main"
}

resource "aws_ecs_service" "web" {
  name            = "web"
  cluster         = aws_ecs_cluster.main.id
  desired_cont    = 2
  sigint_rollback = true
  launch_type     = "FARGATE"
  task_definition = "web:1"
  network_configuration {
    subnets = [aws_subnet.a.id]
  }
  load_balancers {
    target_group_arn = aws_lb_target_group.web.arn
    container_name   = "web"
    container_port   = 8080
  }
}
