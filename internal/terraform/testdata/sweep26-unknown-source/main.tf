# After codykal/ECS-Terraform Security-Group.tf: the addresses a group
# admits come from a Secrets Manager secret (jsondecode of its
# secret_string), which ecsnet does not read. On AWS the rules have those
# sources; they must not be refused, nor read as rules without a source.
provider "aws" {
  region = "us-west-2"
}

data "aws_secretsmanager_secret_version" "ip_address" {
  secret_id = "arn:aws:secretsmanager:us-west-2:123456789012:secret:IpAddress-8jqo2I"
}

locals {
  admin = jsondecode(data.aws_secretsmanager_secret_version.ip_address.secret_string)
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "alb" {
  name   = "alb"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [local.admin["ipaddress"]]
  }

  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.alb.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [local.admin["ipaddress"], local.admin["ipaddress2"]]
}

resource "aws_vpc_security_group_ingress_rule" "admin" {
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = local.admin["ipaddress"]
  ip_protocol       = "tcp"
  from_port         = 8080
  to_port           = 8080
}
