resource "aws_vpc" "ecs-vpc" {
  cidr_block           = "10.0.0.0/16"
  instance_tenancy     = "default"
  enable_dns_hostnames = true
  tags = {
    Name = "ecs-vpc"
  }
}

resource "aws_subnet" "public-sub1" {
  vpc_id            = aws_vpc.ecs-vpc.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "eu-west-2a"
  tags = {
    Name = "public-sub1"
  }
}

resource "aws_subnet" "public-sub2" {
  vpc_id            = aws_vpc.ecs-vpc.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-2b"
  tags = {
    Name = "public-sub2"
  }
}

resource "aws_internet_gateway" "ecs-igw" {
  vpc_id = aws_vpc.ecs-vpc.id
  tags = {
    Name = "ecs-igw"
  }
}

resource "aws_route_table" "ecs-route-table" {
  vpc_id = aws_vpc.ecs-vpc.id
  tags = {
    Name = "ecs-route-table"
  }
}

resource "aws_route_table_association" "sub1_route_assoc" {
  subnet_id = aws_subnet.public-sub1.id
  route_table_id = aws_route_table.ecs-route-table.id
}

resource "aws_route_table_association" "sub2_route_assoc" {
  subnet_id = aws_subnet.public-sub2.id
  route_table_id = aws_route_table.ecs-route-table.id
}

resource "aws_route" "ecs_igw_route_assoc" {
  route_table_id = aws_route_table.ecs-route-table.id
  gateway_id = aws_internet_gateway.ecs-igw.id
  destination_cidr_block = "0.0.0.0/0"
}
