# aws_default_* resources adopt what AWS made with the VPC, and the
# provider tags them with what the configuration declares.
provider "aws" {
  default_tags {
    tags = {
      Team = "net"
    }
  }
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
  tags = {
    Name = "main-default-sg"
  }
}
resource "aws_default_network_acl" "default" {
  default_network_acl_id = aws_vpc.main.default_network_acl_id
  ingress {
    protocol   = -1
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
  tags = {
    Name = "main-default-acl"
  }
}
data "aws_default_tags" "current" {}
output "team" { value = data.aws_default_tags.current.tags["Team"] }
