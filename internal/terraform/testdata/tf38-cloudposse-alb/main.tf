# Written for round thirty-eight: cloudposse/alb with its defaults, one
# IPv4 and one dualstack, in a VPC with IPv6.

provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  count                           = 2
  vpc_id                          = aws_vpc.main.id
  cidr_block                      = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, count.index)
  assign_ipv6_address_on_creation = true
  availability_zone               = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

module "alb_v4" {
  source     = "cloudposse/alb/aws"
  namespace  = "eg"
  name       = "v4"
  vpc_id     = aws_vpc.main.id
  subnet_ids = aws_subnet.public[*].id

  access_logs_enabled = false
}

module "alb_dual" {
  source          = "cloudposse/alb/aws"
  namespace       = "eg"
  name            = "dual"
  vpc_id          = aws_vpc.main.id
  subnet_ids      = aws_subnet.public[*].id
  ip_address_type = "dualstack"
  https_enabled   = true
  certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"

  access_logs_enabled = false
}

output "v4_sg" {
  value = module.alb_v4.security_group_id
}

output "dual_sg" {
  value = module.alb_dual.security_group_id
}
