# An ALB whose only inbound rule admits a CIDR read at plan time from
# a data source ecsnet does not answer (the office's published range),
# unless a variable gives it (ecsnet's own fixture).
variable "office_cidr" {
  type    = string
  default = ""
}

data "http" "office_range" {
  url = "https://intranet.example.com/office-cidr.txt"
}

locals {
  office_cidr = var.office_cidr != "" ? var.office_cidr : trimspace(data.http.office_range.response_body)
}

variable "rule_style" {
  type    = string
  default = "inline"
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "b" {
  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.public.id
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_security_group" "lb" {
  name   = "portal-lb"
  vpc_id = aws_vpc.main.id

  dynamic "ingress" {
    for_each = var.rule_style == "inline" ? [1] : []
    content {
      from_port   = 443
      to_port     = 443
      protocol    = "tcp"
      cidr_blocks = [local.office_cidr]
    }
  }
}

resource "aws_vpc_security_group_ingress_rule" "office" {
  count             = var.rule_style == "separate" ? 1 : 0
  security_group_id = aws_security_group.lb.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = local.office_cidr
}

resource "aws_lb" "portal" {
  name            = "portal"
  subnets         = [aws_subnet.a.id, aws_subnet.b.id]
  security_groups = [aws_security_group.lb.id]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.portal.arn
  port              = 443
  protocol          = "HTTP"

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "200"
    }
  }
}
