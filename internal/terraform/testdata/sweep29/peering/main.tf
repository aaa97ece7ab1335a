# A shared-services VPC (an internal web host) peered with an application VPC
# whose tasks' hosts reach it on 80; routes both ways name the
# connection, as blueprints that peer a new VPC with the default one do.
provider "aws" {
  region = "eu-west-2"
}

variable "peer_routes" {
  type    = bool
  default = true
}

resource "aws_vpc" "app" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_vpc" "shared" {
  cidr_block = var.shared_cidr
}

variable "shared_cidr" {
  type    = string
  default = "10.80.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.app.id
  cidr_block = "10.70.1.0/24"
}

resource "aws_subnet" "shared" {
  vpc_id     = aws_vpc.shared.id
  cidr_block = cidrsubnet(var.shared_cidr, 8, 1)
}

resource "aws_vpc_peering_connection" "app_shared" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.shared.id
  auto_accept = true

  requester {
    allow_remote_vpc_dns_resolution = true
  }
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

resource "aws_route" "app_to_shared" {
  count                     = var.peer_routes ? 1 : 0
  route_table_id            = aws_route_table.app.id
  destination_cidr_block    = aws_vpc.shared.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.app_shared.id
}

resource "aws_route_table" "shared" {
  vpc_id = aws_vpc.shared.id

  route {
    cidr_block                = aws_vpc.app.cidr_block
    vpc_peering_connection_id = aws_vpc_peering_connection.app_shared.id
  }
}

resource "aws_route_table_association" "shared" {
  subnet_id      = aws_subnet.shared.id
  route_table_id = aws_route_table.shared.id
}

resource "aws_security_group" "db" {
  vpc_id = aws_vpc.shared.id

  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.app.cidr_block]
  }
}

resource "aws_instance" "app" {
  ami           = "ami-0a1b2c3d4e5f60718"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.app.id
}

resource "aws_instance" "db" {
  ami                    = "ami-0a1b2c3d4e5f60718"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.shared.id
  vpc_security_group_ids = [aws_security_group.db.id]
  user_data              = "#!/bin/bash\napt-get update && apt-get install -y nginx\n"
}

output "status" {
  value = aws_vpc_peering_connection.app_shared.accept_status
}
