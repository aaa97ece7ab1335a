terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "tg_arn" {
  type    = string
  default = "api-targets"
}

locals {
  exec_role = "ecsTaskExecutionRole"
}

# Two load balancers of one service: a set of blocks, numbered as written,
# each error at the resource block.
resource "aws_ecs_service" "api" {
  name = "api"

  load_balancer {
    target_group_arn = "public-targets"
    container_name   = "api"
    container_port   = 8080
  }

  load_balancer {
    target_group_arn = "internal-targets"
    container_name   = "api"
    container_port   = 9090
  }
}

# A value from a variable is unknown to validate: only plan checks it.
resource "aws_lb_listener_rule" "api" {
  listener_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/front/50dc6c495c0c9188/f2f7dc8efc522ab2"
  priority     = 5

  action {
    type             = "forward"
    target_group_arn = var.tg_arn
  }

  condition {
    path_pattern {
      values = ["/api/*"]
    }
  }
}

# A local value of a constant is known to validate.
resource "aws_ecs_task_definition" "api" {
  family                = "api"
  container_definitions = jsonencode([{ name = "api", image = "nginx", essential = true }])
  execution_role_arn    = local.exec_role
  network_mode          = "awsvpc"
}

# An argument the schema refuses, in a resource of its own.
resource "aws_security_group" "api" {
  name = "api"

  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
    port        = 8080
  }
}

# The schema refuses an argument of a resource whose values are wrong too:
# the provider is not asked about that resource.
resource "aws_lb_listener" "front" {
  load_balancer_arn = "front"
  port              = 80
  listen_port       = 80

  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
    }
  }
}
