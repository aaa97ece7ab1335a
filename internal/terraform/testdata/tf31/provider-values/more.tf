resource "aws_vpc" "wide" {
  cidr_block = "10.0.0.0/8"
}
resource "aws_vpc" "typo" {
  cidr_block = "10.0.300.0/16"
}
resource "aws_subnet" "host_bits" {
  vpc_id     = "vpc-1"
  cidr_block = "10.0.1.5/24"
}
resource "aws_lb" "trailing" {
  name    = "web-"
  subnets = ["subnet-1"]
}
resource "aws_lb" "internal" {
  name    = "internal-web"
  subnets = ["subnet-1"]
}
resource "aws_lb_target_group" "long" {
  name     = "-app-target-group-name-far-too-long-"
  port     = 80
  protocol = "http"
  vpc_id   = "vpc-1"
}
resource "aws_lb_listener" "lower" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1"
  port              = 80
  protocol          = "http"
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
    }
  }
}
resource "aws_launch_template" "long" {
  name = "a-launch-template-name-that-goes-on-and-on-for-far-more-than-one-hundred-and-twenty-eight-characters-which-is-the-limit-of-ec2-xx"
}
resource "aws_launch_template" "spaced" {
  name_prefix = "bad prefix"
}
resource "aws_security_group_rule" "mixed" {
  type              = "ingress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/33", "::/0"]
  ipv6_cidr_blocks  = ["::1/64"]
  security_group_id = "sg-123"
}
resource "aws_ecs_service" "bluegreen" {
  name            = "s"
  task_definition = "t"
  deployment_controller {
    type = "BLUE"
  }
  network_configuration {
    subnets = ["subnet-1"]
  }
}
