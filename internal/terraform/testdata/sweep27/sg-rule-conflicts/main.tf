# A rule that admits the load balancer's group and the VPC's range at
# once, another that adds its own group to an IPv6 range, and a subnet
# outside its VPC's range (EC2 refuses it).
provider "aws" {
  region = "eu-west-1"
}

variable "lb_group" {
  type    = string
  default = ""
}

variable "v6_rule" {
  type    = bool
  default = false
}

resource "aws_vpc" "app" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_subnet" "stray" {
  vpc_id     = aws_vpc.app.id
  cidr_block = "10.99.0.0/24"
}

resource "aws_security_group" "lb" {
  vpc_id = aws_vpc.app.id
}

resource "aws_security_group" "tasks" {
  vpc_id = aws_vpc.app.id
}

resource "aws_security_group_rule" "from_lb" {
  type                     = "ingress"
  security_group_id        = aws_security_group.tasks.id
  protocol                 = "tcp"
  from_port                = 8080
  to_port                  = 8080
  source_security_group_id = var.lb_group != "" ? var.lb_group : aws_security_group.lb.id
  cidr_blocks              = [aws_vpc.app.cidr_block]
}

resource "aws_security_group_rule" "v6_self" {
  count             = var.v6_rule ? 1 : 0
  type              = "ingress"
  security_group_id = aws_security_group.tasks.id
  protocol          = "tcp"
  from_port         = 9090
  to_port           = 9090
  self              = false
  ipv6_cidr_blocks  = ["2001:db8::/56"]
}
