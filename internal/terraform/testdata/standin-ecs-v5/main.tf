# terraform-aws-modules/ecs/aws's root module in its v5 interface (a
# cluster with fargate_capacity_providers and a services map whose
# security_group_rules mix ingress and egress, snake_case container
# definitions), behind terraform-aws-modules/alb/aws v8.3 (list
# listeners, and its own security group from security_group_rules); a
# Cloud Map namespace read back with aws_service_discovery_dns_namespace.
provider "aws" {
  region = "us-west-2"
}

module "vpc" {
  source             = "terraform-aws-modules/vpc/aws"
  version            = "~> 3.0"
  name               = "core"
  cidr               = "10.0.0.0/16"
  azs                = ["us-west-2a", "us-west-2b"]
  public_subnets     = ["10.0.0.0/24", "10.0.1.0/24"]
  private_subnets    = ["10.0.10.0/24", "10.0.11.0/24"]
  enable_nat_gateway = true
  single_nat_gateway = true
}

resource "aws_service_discovery_private_dns_namespace" "this" {
  name = "default.core.local"
  vpc  = module.vpc.vpc_id
}

data "aws_service_discovery_dns_namespace" "this" {
  name       = "default.core.local"
  type       = "DNS_PRIVATE"
  depends_on = [aws_service_discovery_private_dns_namespace.this]
}

resource "aws_service_discovery_service" "web" {
  name = "web"
  dns_config {
    namespace_id = data.aws_service_discovery_dns_namespace.this.id
    dns_records {
      ttl  = 10
      type = "A"
    }
  }
}

module "alb" {
  source             = "terraform-aws-modules/alb/aws"
  version            = "~> 8.3"
  name               = "web-alb"
  load_balancer_type = "application"
  vpc_id             = module.vpc.vpc_id
  subnets            = module.vpc.public_subnets
  security_group_rules = {
    ingress_http = {
      type        = "ingress"
      from_port   = 80
      to_port     = 80
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
    egress_private = {
      type        = "egress"
      from_port   = 0
      to_port     = 0
      protocol    = "-1"
      cidr_blocks = module.vpc.private_subnets_cidr_blocks
    }
  }
  http_tcp_listeners = [{ port = 80, protocol = "HTTP", target_group_index = 0 }]
  target_groups = [{
    name             = "web-tg"
    backend_protocol = "HTTP"
    backend_port     = 3000
    target_type      = "ip"
  }]
}

module "ecs" {
  source       = "terraform-aws-modules/ecs/aws"
  version      = "~> 5.0"
  cluster_name = "core"
  fargate_capacity_providers = {
    FARGATE      = { default_capacity_provider_strategy = { weight = 1 } }
    FARGATE_SPOT = {}
  }
  services = {
    web = {
      desired_count = 2
      subnet_ids    = module.vpc.private_subnets
      container_definitions = {
        main = {
          name                     = "app"
          image                    = "public.ecr.aws/aws-containers/ecsdemo-frontend"
          readonly_root_filesystem = false
          port_mappings            = [{ protocol = "tcp", containerPort = 3000, hostPort = 3000 }]
        }
      }
      load_balancer = [{
        container_name   = "app"
        container_port   = 3000
        target_group_arn = element(module.alb.target_group_arns, 0)
      }]
      service_registries = { registry_arn = aws_service_discovery_service.web.arn }
      security_group_rules = {
        alb = {
          type                     = "ingress"
          from_port                = 3000
          to_port                  = 3000
          protocol                 = "tcp"
          source_security_group_id = module.alb.security_group_id
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
  }
}

output "cluster" { value = module.ecs.cluster_name }
output "alb_sg" { value = module.alb.security_group_id }
