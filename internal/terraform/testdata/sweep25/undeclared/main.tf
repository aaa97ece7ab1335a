# A module in the middle of an edit: a variable, a local value and a
# resource type name used but not declared.
provider "aws" {
  region = "us-east-1"
}

variable "name" {
  type = string
}

resource "aws_lb_target_group" "main" {
  name        = var.name
  count       = var.no_loadbalancer ? 0 : 1
  port        = 80
  protocol    = "HTTP"
  vpc_id      = "vpc-0123456789abcdef0"
  target_type = "ip"
}

resource "aws_cloudwatch_log_group" "main" {
  name = "/ecs/${var.name}"
}

resource "aws_ecs_task_definition" "main" {
  family = var.name
  container_definitions = jsonencode([{
    name  = var.name
    image = "nginx"
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group  = aws_cloudwatch_log_group.main.name
        awslogs-region = local.region
      }
    }
  }])
}

output "tg" {
  value = aws_alb_target_group.main[0].id
}
