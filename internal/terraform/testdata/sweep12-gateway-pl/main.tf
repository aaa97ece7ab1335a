# Round twelve: a Gateway endpoint's prefix_list_id is its service's
# AWS-managed prefix list, which a security group rule names (it was "").
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "v" {
  cidr_block = "10.9.0.0/16"
}

resource "aws_route_table" "r" {
  vpc_id = aws_vpc.v.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.v.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [aws_route_table.r.id]
}

resource "aws_security_group" "task" {
  vpc_id = aws_vpc.v.id
  egress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]
  }
}

output "pl" {
  value = aws_vpc_endpoint.s3.prefix_list_id
}
