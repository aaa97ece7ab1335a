# Round twelve: an internal NLB whose target group (target_type "alb")
# holds an internal ALB, as for an API Gateway VPC link. The analyzer
# follows the NLB to the ALB and its targets (round 31; before, it said "no
# target … in the node's Availability Zone", then that it did not chain
# load balancers).
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "v" {
  cidr_block = "10.82.0.0/16"
}

resource "aws_subnet" "s" {
  count             = 2
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet("10.82.0.0/16", 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_security_group" "open" {
  vpc_id = aws_vpc.v.id
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["10.82.0.0/16"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "alb" {
  name            = "inner"
  internal        = true
  security_groups = [aws_security_group.open.id]
  subnets         = aws_subnet.s[*].id
}

resource "aws_lb_listener" "alb" {
  load_balancer_arn = aws_lb.alb.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "200"
    }
  }
}

resource "aws_lb" "nlb" {
  name               = "outer"
  internal           = true
  load_balancer_type = "network"
  security_groups    = [aws_security_group.open.id]
  subnets            = aws_subnet.s[*].id
}

resource "aws_lb_target_group" "alb" {
  name        = "to-alb"
  port        = 80
  protocol    = "TCP"
  target_type = "alb"
  vpc_id      = aws_vpc.v.id
}

resource "aws_lb_target_group_attachment" "alb" {
  target_group_arn = aws_lb_target_group.alb.arn
  target_id        = aws_lb.alb.arn
  port             = 80
  depends_on       = [aws_lb_listener.alb]
}

resource "aws_lb_listener" "nlb" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 80
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.alb.arn
  }
}

resource "aws_network_interface" "client" {
  subnet_id       = aws_subnet.s[0].id
  security_groups = [aws_security_group.open.id]
}
