# cloudposse/label/null, vpc/aws and dynamic-subnets/aws, not installed
# (after cloudposse/terraform-aws-ecs-web-app's examples/complete): the
# label's id names the VPC and the subnets, a NAT gateway per zone, and a
# Fargate task in the private subnets.
provider "aws" {
  region = "us-east-2"
}
module "this" {
  source    = "cloudposse/label/null"
  version   = "0.25.0"
  namespace = "eg"
  stage     = "test"
  name      = "ecs-web-app"
}
module "vpc" {
  source                  = "cloudposse/vpc/aws"
  version                 = "2.1.0"
  ipv4_primary_cidr_block = "172.16.0.0/16"
  context                 = module.this.context
}
module "subnets" {
  source              = "cloudposse/dynamic-subnets/aws"
  version             = "2.4.1"
  availability_zones  = ["us-east-2a", "us-east-2b"]
  vpc_id              = module.vpc.vpc_id
  igw_id              = [module.vpc.igw_id]
  ipv4_cidr_block     = [module.vpc.vpc_cidr_block]
  nat_gateway_enabled = true
  context             = module.this.context
}
resource "aws_security_group" "task" {
  vpc_id = module.vpc.vpc_id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_ecs_cluster" "c" {
  name = module.this.id
}
resource "aws_ecs_task_definition" "t" {
  family                   = module.this.id
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions    = jsonencode([{ name = "app", image = "nginx" }])
}
resource "aws_ecs_service" "s" {
  name            = module.this.id
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = module.subnets.private_subnet_ids
    security_groups = [aws_security_group.task.id]
  }
}
output "id" { value = module.this.id }
output "private" { value = join(",", module.subnets.private_subnet_cidrs) }
output "public" { value = join(",", module.subnets.public_subnet_cidrs) }
