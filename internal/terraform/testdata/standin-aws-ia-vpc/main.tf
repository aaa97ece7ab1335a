# aws-ia/vpc/aws, not installed (after aws-ia/ecs-blueprints
# examples/backend-service): public and private subnets carved by
# netmask, one NAT gateway (single_az) the private subnets route to, and
# a Fargate task in them.
provider "aws" {
  region = "us-west-2"
}
module "vpc" {
  source     = "aws-ia/vpc/aws"
  version    = ">= 4.0.0"
  name       = "backend"
  cidr_block = "10.0.0.0/20"
  az_count   = 3
  subnets = {
    public = {
      netmask                   = 24
      nat_gateway_configuration = "single_az"
    }
    private = {
      netmask                 = 24
      connect_to_public_natgw = true
    }
  }
}
resource "aws_security_group" "task" {
  vpc_id = module.vpc.vpc_attributes.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_ecs_cluster" "c" {
  name = "backend"
}
resource "aws_ecs_task_definition" "t" {
  family                   = "backend"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions    = jsonencode([{ name = "app", image = "nginx" }])
}
resource "aws_ecs_service" "s" {
  name            = "backend"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [for _, v in module.vpc.private_subnet_attributes_by_az : v.id]
    security_groups = [aws_security_group.task.id]
  }
}
output "private_keys" { value = join(",", keys(module.vpc.private_subnet_attributes_by_az)) }
output "natgw" { value = module.vpc.natgw_id_per_az["us-west-2c"].id }
