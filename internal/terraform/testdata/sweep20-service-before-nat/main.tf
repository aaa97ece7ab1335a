# After a public Fargate service module with Cloud Map SRV records
# (code-index file id 29913030352; the index names no repository): its
# caller makes the private subnet's NAT gateway, and nothing orders the
# service after it, so Terraform may create the service first. Its first
# tasks cannot pull their image; ECS keeps retrying (with back-off) and
# the tasks run once the NAT gateway is there.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "v" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "g" {
  vpc_id = aws_vpc.v.id
}

resource "aws_subnet" "pub" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "priv" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.g.id
  }
}

resource "aws_route_table_association" "pub" {
  subnet_id      = aws_subnet.pub.id
  route_table_id = aws_route_table.pub.id
}

resource "aws_security_group" "api" {
  vpc_id = aws_vpc.v.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_cluster" "c" {
  name = "shop"
}

resource "aws_ecs_task_definition" "default" {
  family                   = "shop-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name         = "api"
    image        = "nginx:latest"
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "default" {
  name            = "shop-api"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.default.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    security_groups  = [aws_security_group.api.id]
    subnets          = [aws_subnet.priv.id]
    assign_public_ip = false
  }
}

resource "aws_eip" "n" {
  domain = "vpc"
}

resource "aws_nat_gateway" "n" {
  count         = var.nat ? 1 : 0
  allocation_id = aws_eip.n.id
  subnet_id     = aws_subnet.pub.id
}

resource "aws_route_table" "priv" {
  vpc_id = aws_vpc.v.id
  dynamic "route" {
    for_each = aws_nat_gateway.n
    content {
      cidr_block     = "0.0.0.0/0"
      nat_gateway_id = route.value.id
    }
  }
}

resource "aws_route_table_association" "priv" {
  subnet_id      = aws_subnet.priv.id
  route_table_id = aws_route_table.priv.id
}

variable "nat" {
  default = true
}
