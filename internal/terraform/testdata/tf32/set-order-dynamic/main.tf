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
locals {
  targets = [
    { tg = "web-c", port = 8080 },
    { tg = "web-a", port = 8081 },
    { tg = "web-b", port = 8082 },
  ]
}
resource "aws_ecs_service" "dyn" {
  name            = "dyn"
  cluster         = "arn:aws:ecs:us-east-1:123456789012:cluster/main"
  task_definition = "web:1"
  desired_count   = 1
  dynamic "load_balancer" {
    for_each = local.targets
    content {
      target_group_arn = load_balancer.value.tg
      container_name   = "web"
      container_port   = load_balancer.value.port
    }
  }
}
resource "aws_lb_listener_rule" "dyn" {
  listener_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/0123456789abcdef/0123456789abcdef"
  priority     = 10
  action {
    type = "forward"
    forward {
      dynamic "target_group" {
        for_each = ["zz", "ok", "aa"]
        content {
          arn    = target_group.value
          weight = 1
        }
      }
    }
  }
  condition {
    path_pattern {
      values = ["/x"]
    }
  }
}
