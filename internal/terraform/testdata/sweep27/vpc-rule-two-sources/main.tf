# Ingress rules of the newer style that each name two sources: a range
# and a prefix list (values known at plan), and a range and a group the
# configuration creates (known after apply); a subnet outside its VPC.
provider "aws" {
  region = "ap-south-1"
}

variable "office_list" {
  type    = string
  default = "pl-0a1b2c3d4e5f60718"
}

variable "with_list" {
  type    = bool
  default = false
}

resource "aws_vpc" "shop" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_subnet" "stray" {
  vpc_id     = aws_vpc.shop.id
  cidr_block = "10.71.0.0/24"
}

resource "aws_security_group" "web" {
  vpc_id = aws_vpc.shop.id
}

resource "aws_security_group" "lb" {
  vpc_id = aws_vpc.shop.id
}

resource "aws_vpc_security_group_ingress_rule" "admin" {
  count             = var.with_list ? 1 : 0
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  prefix_list_id    = var.office_list
  cidr_ipv4         = "203.0.113.0/24"
}

resource "aws_vpc_security_group_ingress_rule" "from_lb" {
  security_group_id            = aws_security_group.web.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.lb.id
  cidr_ipv4                    = aws_vpc.shop.cidr_block
}
