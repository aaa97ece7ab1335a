# Instances in a subnet of a VPC given their groups by id in
# security_groups (not vpc_security_group_ids), with and without a public
# IP: the provider sends them as ids, and both instances get the group.
provider "aws" {
  region = "eu-central-1"
}

resource "aws_vpc" "v" {
  cidr_block = "10.8.0.0/16"
}

resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.v.id
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.8.1.0/24"
  availability_zone = "eu-central-1a"
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.v.id
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "public" {
  ami                         = "ami-0abcdef1234567890"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.a.id
  security_groups             = [aws_security_group.web.id]
  associate_public_ip_address = true
}

resource "aws_instance" "private" {
  ami             = "ami-0abcdef1234567890"
  instance_type   = "t3.micro"
  subnet_id       = aws_subnet.a.id
  security_groups = [aws_security_group.web.id]
}
