# A Network Load Balancer's TCP target group for Fargate tasks whose
# health_check block names only the application's health path.
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "v" {
  cidr_block = "10.90.0.0/16"
}

resource "aws_lb_target_group" "api" {
  name        = "api-tcp"
  port        = 8080
  protocol    = "TCP"
  vpc_id      = aws_vpc.v.id
  target_type = "ip"

  health_check {
    path = "/health"
  }
}

resource "aws_lb_target_group" "plain" {
  name        = "plain-tcp"
  port        = 8080
  protocol    = "TCP"
  vpc_id      = aws_vpc.v.id
  target_type = "ip"

  health_check {
    protocol = "TCP"
    path     = "/ignored"
  }
}
