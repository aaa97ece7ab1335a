# A root in the shape people write with the community modules: a VPC
# module and an ALB module from the registry (installed by terraform init
# under .terraform/modules), and a local module per ECS service (for_each).

provider "aws" {
  region = "eu-west-1"
}

data "aws_availability_zones" "available" {}

locals {
  name = "shop"
  azs  = slice(data.aws_availability_zones.available.names, 0, 2)
  services = {
    api = { port = 8080, path = "/api/*", desired = 2 }
    web = { port = 3000, path = "/*", desired = 1 }
  }
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name               = local.name
  cidr               = "10.10.0.0/16"
  azs                = local.azs
  public_subnets     = [for i, az in local.azs : cidrsubnet("10.10.0.0/16", 8, i)]
  private_subnets    = [for i, az in local.azs : cidrsubnet("10.10.0.0/16", 8, i + 10)]
  enable_nat_gateway = true
  single_nat_gateway = true
}

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.0"

  name    = "${local.name}-alb"
  vpc_id  = module.vpc.vpc_id
  subnets = module.vpc.public_subnets

  security_group_ingress_rules = {
    all_http = { from_port = 80, to_port = 80, ip_protocol = "tcp", cidr_ipv4 = "0.0.0.0/0" }
  }
  security_group_egress_rules = {
    all = { ip_protocol = "-1", cidr_ipv4 = module.vpc.vpc_cidr_block }
  }
  target_groups = { for k, s in local.services : k => { port = s.port, path = s.path } }
}

resource "aws_service_discovery_private_dns_namespace" "this" {
  name = "${local.name}.local"
  vpc  = module.vpc.vpc_id
}

resource "aws_ecs_cluster" "this" {
  name = local.name
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

module "services" {
  source   = "./modules/service"
  for_each = local.services

  name              = each.key
  cluster_arn       = aws_ecs_cluster.this.arn
  port              = each.value.port
  desired_count     = each.value.desired
  vpc_id            = module.vpc.vpc_id
  subnet_ids        = module.vpc.private_subnets
  alb_sg_id         = module.alb.security_group_id
  target_group_arn  = module.alb.target_groups[each.key].arn
  namespace_id      = aws_service_discovery_private_dns_namespace.this.id
  service_discovery = true
  vpc_cidr          = module.vpc.vpc_cidr_block
}

output "alb_dns_name" {
  value = module.alb.dns_name
}

output "service_names" {
  value = { for k, m in module.services : k => m.service_name }
}
