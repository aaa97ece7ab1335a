# After a public configuration's security groups (a "Fare Calculator API"
# ECS service; found by its description): an
# aws_vpc_security_group_ingress_rule with ports but no source, refused by
# the provider's validator at terraform validate.
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "alb_sg" {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "ecs_ingress_alb" {
  description       = "Allow traffic from ALB on port 80"
  from_port         = 80
  to_port           = 80
  ip_protocol       = "tcp"
  security_group_id = aws_security_group.alb_sg.id
}
