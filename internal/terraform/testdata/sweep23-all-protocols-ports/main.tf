provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "192.168.1.0/25"
}

resource "aws_security_group" "lb_sg" {
  name   = "allow_tls"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_egress_rule" "with_ports" {
  security_group_id = aws_security_group.lb_sg.id
  cidr_ipv4         = aws_vpc.main.cidr_block
  ip_protocol       = "-1"
  from_port         = 0
  to_port           = 0
}

resource "aws_vpc_security_group_egress_rule" "without_ports" {
  security_group_id = aws_security_group.lb_sg.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}
