terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "eu-central-1"
}

locals {
  public_azs_cidr  = { "eu-central-1a" : "10.0.1.0/24" }
  private_azs_cidr = { "eu-central-1a" : "10.0.4.0/24" }
}

resource "aws_vpc" "default" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "default" {
  vpc_id = aws_vpc.default.id
}

resource "aws_subnet" "public" {
  for_each                = local.public_azs_cidr
  vpc_id                  = aws_vpc.default.id
  availability_zone       = each.key
  cidr_block              = each.value
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.default.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.default.id
  }
}

resource "aws_route_table_association" "public" {
  for_each       = local.public_azs_cidr
  route_table_id = aws_route_table.public.id
  subnet_id      = aws_subnet.public[each.key].id
}

resource "aws_instance" "nat" {
  for_each          = toset(keys(local.public_azs_cidr))
  ami               = "ami-0c1f2a3b4d5e6f708"
  instance_type     = "t3.micro"
  subnet_id         = aws_subnet.public[each.key].id
  source_dest_check = false
}

resource "aws_subnet" "private" {
  for_each          = local.private_azs_cidr
  vpc_id            = aws_vpc.default.id
  availability_zone = each.key
  cidr_block        = each.value
}

resource "aws_route_table" "private" {
  for_each = toset(keys(local.private_azs_cidr))
  vpc_id   = aws_vpc.default.id

  route {
    cidr_block  = "0.0.0.0/0"
    instance_id = aws_instance.nat[each.key].id
  }
}

resource "aws_route_table_association" "private" {
  for_each       = toset(keys(local.private_azs_cidr))
  route_table_id = aws_route_table.private[each.value].id
  subnet_id      = aws_subnet.private[each.value].id
}
