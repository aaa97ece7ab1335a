terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}
provider "aws" { region = "us-east-1" }

resource "aws_lb_listener" "web" {
  load_balancer_arn = "my-load-balancer"
  port              = 80
  protocol          = "HTTP"
  certificate_arn   = "arn:aws:acm"
  default_action {
    type             = "forward"
    target_group_arn = "web-tg"
  }
}

resource "aws_lb_listener_rule" "api" {
  listener_arn = "listener"
  priority     = 10
  action {
    type             = "forward"
    target_group_arn = "tg"
  }
  condition {
    path_pattern { values = ["/api/*"] }
  }
}

resource "aws_lb_target_group_attachment" "a" {
  target_group_arn = "not-an-arn"
  target_id        = "i-123"
}

resource "aws_ecs_service" "s" {
  name            = "s"
  cluster         = "c"
  task_definition = "td"
  iam_role        = "role"
  load_balancer {
    target_group_arn = "tg-x"
    container_name   = "app"
    container_port   = 80
  }
  service_registries {
    registry_arn = "srv-123"
  }
}

resource "aws_ecs_task_definition" "t" {
  family                = "t"
  container_definitions = "[]"
  execution_role_arn    = "exec-role"
  task_role_arn         = "arn:aws:iam::123456789012:role/x"
}

resource "aws_appautoscaling_policy" "p" {
  name               = "p"
  resource_id        = "service/c/s"
  scalable_dimension = "ecs:service:DesiredCount"
  service_namespace  = "ecs"
}
