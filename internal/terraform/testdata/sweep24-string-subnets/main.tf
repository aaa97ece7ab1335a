provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "vpc" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "public_a" {
  vpc_id            = aws_vpc.vpc.id
  cidr_block        = "10.0.16.0/20"
  availability_zone = "us-east-1b"
}

variable "subnet" {
  default = "one"
}

locals {
  subnets = { one = aws_subnet.public_a.id, other = null, lb = [aws_subnet.public_a.id] }
}

resource "aws_ecs_cluster" "c" {
  name = "c"
}

resource "aws_ecs_task_definition" "t" {
  family                   = "t"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name         = "app"
    image        = "nginx"
    essential    = true
    portMappings = [{ containerPort = 80 }]
  }])
}

# As Josewp10/ing-devops-challenge src/ECS/ecs_service.tf passes it: the
# module input holds one subnet id, not a list.
resource "aws_ecs_service" "s" {
  name            = "s"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = local.subnets[var.subnet]
    security_groups  = var.subnet == "one" ? null : aws_vpc.vpc.default_security_group_id
    assign_public_ip = true
  }
}

resource "aws_lb" "lb" {
  count   = var.subnet == "lb" ? 1 : 0
  name    = "lb"
  subnets = aws_subnet.public_a.id
}
