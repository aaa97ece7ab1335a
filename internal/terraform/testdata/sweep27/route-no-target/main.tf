# A private route table whose default route was left without its target
# (the NAT gateway not yet written), and an interface endpoint with
# private DNS in a VPC without DNS host names.
provider "aws" {
  region = "sa-east-1"
}

resource "aws_vpc" "core" {
  cidr_block = "10.80.0.0/16"
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.core.id
  cidr_block        = "10.80.1.0/24"
  availability_zone = "sa-east-1a"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.core.id
  route {
    cidr_block = "0.0.0.0/0"
  }
}

resource "aws_vpc_endpoint" "logs" {
  vpc_id              = aws_vpc.core.id
  service_name        = "com.amazonaws.sa-east-1.logs"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.private.id]
  private_dns_enabled = true
}
