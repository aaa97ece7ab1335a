# After philipdaquin/UserService-Asp.Net-7-Sample-App infra/5-nat.tf
# @2173b764: the NAT gateway's subnet_id given the whole subnet (`.id`
# forgotten). Terraform refuses it: "Incorrect attribute value type".
provider "aws" {
  region = "us-east-2"
}

resource "aws_vpc" "main" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public_zone_1" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.2.64.0/19"
  availability_zone = "us-east-2a"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public_zone_1

  depends_on = [aws_internet_gateway.igw]
}
