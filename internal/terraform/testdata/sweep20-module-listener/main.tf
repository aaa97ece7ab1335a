# After a public single-file Fargate configuration (code-index file id
# 1546345342; the index names no repository), its modules pinned to the
# releases it was written for: the ALB module's v8 listeners forward to
# the target group the service module's service names, and the service
# does not depend on them.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.19.0"
    }
  }
}

provider "aws" {
  region     = var.aws_region
}

locals {
  vpc_cidr = "10.0.0.0/16"
  azs      = slice(data.aws_availability_zones.available.names, 0, 3)
}

data "aws_availability_zones" "available" {}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name = "vpc"
  cidr = local.vpc_cidr
  azs  = local.azs

  public_subnets  = [for i, v in local.azs : cidrsubnet(local.vpc_cidr, 8, i)]
  private_subnets = [for i, v in local.azs : cidrsubnet(local.vpc_cidr, 8, i + 4)]

  enable_nat_gateway = true
  single_nat_gateway = true

  enable_vpn_gateway = false
}

resource "aws_ecs_cluster" "this" {
  name = "demo"
}

module "ecs_service" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.0"

  name        = var.service_name
  cluster_arn = aws_ecs_cluster.this.arn

  cpu    = 1024
  memory = 2048

  container_definitions = {
    (var.container_name) = {
      image     = var.container_image
      cpu       = 512
      memory    = 1024
      essential = true
      port_mappings = [
        {
          name          = var.container_name
          containerPort = var.container_port
          hostPort      = var.container_port
          protocol      = "tcp"
        }
      ]

      readonly_root_filesystem = false

      enable_cloudwatch_logging   = true
      create_cloudwatch_log_group = true
    }
  }

  load_balancer = {
    service = {
      container_name   = var.container_name
      container_port   = var.container_port
      target_group_arn = element(module.alb.target_group_arns, 0)
    }
  }

  subnet_ids            = module.vpc.private_subnets
  create_security_group = true
  security_group_rules = {
    alb_ingress = {
      type                     = "ingress"
      from_port                = var.container_port
      to_port                  = var.container_port
      protocol                 = "tcp"
      source_security_group_id = module.alb_sg.security_group_id
    }
    egress_all = {
      type        = "egress"
      from_port   = 0
      to_port     = 0
      protocol    = "-1"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

module "alb_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.0"

  name   = "${var.service_name}-service"
  vpc_id = module.vpc.vpc_id

  ingress_rules       = ["http-80-tcp"]
  ingress_cidr_blocks = ["0.0.0.0/0"]

  egress_rules       = ["all-all"]
  egress_cidr_blocks = module.vpc.private_subnets_cidr_blocks
}

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 8.0"

  load_balancer_type = "application"
  vpc_id             = module.vpc.vpc_id
  subnets            = module.vpc.public_subnets
  security_groups    = [module.alb_sg.security_group_id]

  http_tcp_listeners = [
    {
      port               = 80
      protocol           = "HTTP"
      target_group_index = 0
    },
  ]

  target_groups = [
    {
      name             = "${var.service_name}-${var.container_name}"
      backend_protocol = "HTTP"
      backend_port     = 80
      target_type      = "ip"
    },
  ]
}
