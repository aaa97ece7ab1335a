provider "aws" {
  region = "ap-southeast-2"
}

variable "s3_subnets" {
  default = true
}

resource "aws_vpc" "vpc" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private_subnet_a" {
  vpc_id            = aws_vpc.vpc.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "ap-southeast-2a"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.vpc.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.vpc.id
  service_name      = "com.amazonaws.ap-southeast-2.s3"
  vpc_endpoint_type = "Gateway"
  subnet_ids        = var.s3_subnets ? [aws_subnet.private_subnet_a.id] : null
  route_table_ids   = var.s3_subnets ? null : [aws_route_table.private.id]
}
