provider "aws" {
  region = "ap-southeast-2"
}

variable "name" {
  default = "weather"
}

resource "aws_vpc" "vpc" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private_subnet_a" {
  vpc_id            = aws_vpc.vpc.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "ap-southeast-2a"
}

resource "aws_vpc_endpoint" "ecs" {
  name              = "${var.name}-ecs"
  vpc_id            = aws_vpc.vpc.id
  service_name      = "com.amazonaws.ap-southeast-2.ecs"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.private_subnet_a.id]
}
