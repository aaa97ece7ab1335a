# The registry VPC and security group modules, not installed (no
# `terraform init`): ecsnet reads them with its stand-ins. Private subnets behind one NAT gateway, a database
# tier on the private route table, Fargate tasks behind an ALB.
provider "aws" {
  region = "eu-west-1"
}

data "aws_availability_zones" "available" {}

locals {
  cidr = "10.0.0.0/16"
  azs  = slice(data.aws_availability_zones.available.names, 0, 2)
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name             = "shop"
  cidr             = local.cidr
  azs              = local.azs
  private_subnets  = [for k, v in local.azs : cidrsubnet(local.cidr, 4, k)]
  public_subnets   = [for k, v in local.azs : cidrsubnet(local.cidr, 8, k + 48)]
  database_subnets = [for k, v in local.azs : cidrsubnet(local.cidr, 8, k + 52)]

  enable_nat_gateway = true
  single_nat_gateway = true
  enable_flow_log    = true

  create_flow_log_cloudwatch_log_group = true
}

module "alb_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.0"

  name                = "alb"
  vpc_id              = module.vpc.vpc_id
  ingress_rules       = ["http-80-tcp"]
  ingress_cidr_blocks = ["0.0.0.0/0"]
  egress_rules        = ["all-all"]
  egress_cidr_blocks  = [module.vpc.vpc_cidr_block]
}

module "app_sg" {
  source = "terraform-aws-modules/security-group/aws"

  name   = "app"
  vpc_id = module.vpc.vpc_id
  computed_ingress_with_source_security_group_id = [{
    from_port                = 3000
    to_port                  = 3000
    protocol                 = "tcp"
    source_security_group_id = module.alb_sg.security_group_id
  }]
  number_of_computed_ingress_with_source_security_group_id = 1
  ingress_with_cidr_blocks = [{
    rule        = "ssh-tcp"
    cidr_blocks = "10.0.0.0/16,192.168.0.0/24"
  }]
  egress_rules = ["all-all"]
}

resource "aws_lb" "shop" {
  name            = "shop"
  security_groups = [module.alb_sg.security_group_id]
  subnets         = module.vpc.public_subnets
}

resource "aws_lb_target_group" "app" {
  name        = "app"
  port        = 3000
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = module.vpc.vpc_id
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.shop.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

resource "aws_ecs_cluster" "shop" {
  name = "shop"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions    = jsonencode([{ name = "app", image = "nginx", essential = true, portMappings = [{ containerPort = 3000 }] }])
}

resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = module.vpc.private_subnets
    security_groups = [module.app_sg.security_group_id]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.app.arn
    container_name   = "app"
    container_port   = 3000
  }
  depends_on = [aws_lb_listener.http]
}

output "natgw_ids" {
  value = module.vpc.natgw_ids
}

output "database_route_table_ids" {
  value = module.vpc.database_route_table_ids
}
