terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}
provider "aws" { region = "us-east-1" }
resource "aws_lb_listener_rule" "r" {
  listener_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2"
  action {
    type = "forward"
    forward {
      target_group {
        arn = "zz"
      }
      target_group {
        arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ok/1"
      }
      target_group {
        arn = "aa"
      }
    }
  }
  condition {
    path_pattern { values = ["/"] }
  }
}
resource "aws_lb_listener" "l" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1"
  port = 80
  default_action {
    type = "forward"
    forward {
      target_group {
        arn = "only"
        weight = 1
      }
    }
  }
}
resource "aws_ecs_service" "web" {
  name = "web"
  load_balancer {
    target_group_arn = "web-c"
    container_name   = "web"
    container_port   = 80
  }
  load_balancer {
    target_group_arn = "web-a"
    container_name   = "web"
    container_port   = 443
  }
  load_balancer {
    target_group_arn = "web-b"
    container_name   = "sidecar"
    container_port   = 9000
  }
}
