# Round ten: arguments ecsnet does not read are said, not dropped unsaid:
# a misspelt cidr_blocks (Terraform would refuse it) left the rule out.
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "v" {
  cidr_block         = "10.0.0.0/16"
  enable_classiclink = false
}

resource "aws_security_group" "web" {
  vpc_id = aws_vpc.v.id
  ingress {
    from_port  = 80
    to_port    = 80
    protocol   = "tcp"
    cidr_block = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# enable_classiclink is v4's (v5.0.0 removed it with EC2-Classic).
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 4.0"
    }
  }
}
