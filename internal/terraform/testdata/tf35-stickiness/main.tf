# Round thirty-five (written for ecsnet, after the target groups of the
# public configurations in docs/terraform-acceptance.md): stickiness, slow
# start and the routing algorithm of target groups the provider sends to
# ModifyTargetGroupAttributes, and a weighted forward with group-level
# stickiness. All apply.
provider "aws" { region = "us-east-1" }

resource "aws_vpc" "main" {
  cidr_block = "10.42.0.0/16"
}

resource "aws_lb_target_group" "web" {
  name                          = "web"
  port                          = 80
  protocol                      = "HTTP"
  vpc_id                        = aws_vpc.main.id
  target_type                   = "ip"
  slow_start                    = 60
  load_balancing_algorithm_type = "least_outstanding_requests"
  stickiness {
    type            = "lb_cookie"
    cookie_duration = 3600
  }
}

resource "aws_lb_target_group" "canary" {
  name        = "canary"
  port        = 80
  protocol    = "HTTP"
  vpc_id      = aws_vpc.main.id
  target_type = "ip"
  stickiness {
    enabled     = true
    type        = "app_cookie"
    cookie_name = "SESSION"
  }
}

resource "aws_lb_target_group" "tcp" {
  name     = "tcp"
  port     = 5432
  protocol = "TCP"
  vpc_id   = aws_vpc.main.id
  stickiness {
    enabled = false
    type    = "source_ip"
  }
  target_health_state {
    enable_unhealthy_connection_termination = false
    unhealthy_draining_interval             = 60
  }
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.42.0.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.42.1.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_lb" "alb" {
  name    = "sticky"
  subnets = [aws_subnet.a.id, aws_subnet.b.id]
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.alb.arn
  port              = 80
  default_action {
    type = "forward"
    forward {
      target_group {
        arn    = aws_lb_target_group.web.arn
        weight = 90
      }
      target_group {
        arn    = aws_lb_target_group.canary.arn
        weight = 10
      }
      stickiness {
        enabled  = true
        duration = 600
      }
    }
  }
}
