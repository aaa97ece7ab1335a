# A provider block written for the AWS provider v4 (a credentials file,
# path-style S3), with a resource that names a security group never
# declared.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 4.0"
    }
  }
}

provider "aws" {
  region                  = "ca-central-1"
  shared_credentials_file = "~/.aws/team-credentials"
  s3_force_path_style     = true
}

resource "aws_vpc" "edge" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_security_group" "edge" {
  vpc_id = aws_vpc.edge.id
  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.proxy.id]
  }
}
