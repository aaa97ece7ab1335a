provider "aws" {
  region = "us-east-2"
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id               = aws_vpc.v.id
  cidr_block           = "10.0.0.0/24"
  availability_zone_id = "use2-az1"
}
resource "aws_subnet" "b" {
  vpc_id               = aws_vpc.v.id
  cidr_block           = "10.0.3.0/24"
  availability_zone_id = "use2-az2"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.v.id
}
