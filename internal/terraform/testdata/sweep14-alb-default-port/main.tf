# The ALB module (v9 map interface) with a target group and a listener
# that name no port or protocol: the module's default_port (80) and
# default_protocol (HTTP) apply.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "v" {
  cidr_block = "10.6.0.0/16"
}

resource "aws_internet_gateway" "g" {
  vpc_id = aws_vpc.v.id
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.6.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.6.2.0/24"
  availability_zone = "eu-west-1b"
}

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.2"

  name    = "dflt"
  vpc_id  = aws_vpc.v.id
  subnets = [aws_subnet.a.id, aws_subnet.b.id]

  enable_deletion_protection = false

  listeners = {
    web = {
      forward = {
        target_group_key = "app"
      }
    }
  }

  target_groups = {
    app = {
      target_type       = "ip"
      create_attachment = false
    }
  }
}
