# terraform-aws-modules/ecs/aws's service and cluster submodules (v6
# interface) on EC2 capacity from terraform-aws-modules/autoscaling/aws,
# behind terraform-aws-modules/alb/aws v10 (rule actions written as
# forward = {…} and weighted_forward = {…}); none installed.
provider "aws" {
  region = "eu-west-1"
}

locals {
  name = "shop"
  port = 8080
}

module "vpc" {
  source             = "terraform-aws-modules/vpc/aws"
  name               = local.name
  cidr               = "10.20.0.0/16"
  azs                = ["eu-west-1a", "eu-west-1b"]
  private_subnets    = ["10.20.0.0/20", "10.20.16.0/20"]
  public_subnets     = ["10.20.48.0/24", "10.20.49.0/24"]
  enable_nat_gateway = true
  single_nat_gateway = true
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended"
}

module "hosts_sg" {
  source = "terraform-aws-modules/security-group/aws"
  name   = "${local.name}-hosts"
  vpc_id = module.vpc.vpc_id
  computed_ingress_with_source_security_group_id = [{
    rule                     = "http-80-tcp"
    source_security_group_id = module.alb.security_group_id
  }]
  number_of_computed_ingress_with_source_security_group_id = 1
  egress_rules                                             = ["all-all"]
}

module "autoscaling" {
  source   = "terraform-aws-modules/autoscaling/aws"
  for_each = { od = "c6a.2xlarge" }

  name                        = "${local.name}-${each.key}"
  image_id                    = jsondecode(data.aws_ssm_parameter.ami.value)["image_id"]
  instance_type               = each.value
  security_groups             = [module.hosts_sg.security_group_id]
  user_data                   = base64encode("#!/bin/bash\necho ECS_CLUSTER=${local.name} >> /etc/ecs/ecs.config\n")
  create_iam_instance_profile = true
  iam_role_name               = local.name
  vpc_zone_identifier         = module.vpc.private_subnets
  min_size                    = 1
  max_size                    = 2
  desired_capacity            = 1
  protect_from_scale_in       = true
}

module "cluster" {
  source = "terraform-aws-modules/ecs/aws//modules/cluster"
  name   = local.name
  capacity_providers = {
    od = {
      auto_scaling_group_provider = {
        auto_scaling_group_arn         = module.autoscaling["od"].autoscaling_group_arn
        managed_termination_protection = "ENABLED"
        managed_scaling                = { status = "ENABLED", target_capacity = 80 }
      }
    }
  }
  default_capacity_provider_strategy = { od = { weight = 1 } }
}

module "api" {
  source      = "terraform-aws-modules/ecs/aws//modules/service"
  name        = "api"
  cluster_arn = module.cluster.arn

  requires_compatibilities = ["EC2"]
  capacity_provider_strategy = {
    od = { capacity_provider = module.cluster.capacity_providers["od"].name, weight = 1 }
  }
  container_definitions = {
    api = {
      image        = "public.ecr.aws/nginx/nginx:stable"
      portMappings = [{ name = "api", containerPort = local.port, protocol = "tcp" }]
    }
  }
  load_balancer = {
    service = {
      target_group_arn = module.alb.target_groups["blue"].arn
      container_name   = "api"
      container_port   = local.port
    }
  }
  subnet_ids = module.vpc.private_subnets
  security_group_ingress_rules = {
    alb = {
      from_port                    = local.port
      referenced_security_group_id = module.alb.security_group_id
    }
  }
  security_group_egress_rules = {
    all = { ip_protocol = "-1", cidr_ipv4 = "0.0.0.0/0" }
  }
}

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  name    = local.name
  vpc_id  = module.vpc.vpc_id
  subnets = module.vpc.public_subnets
  security_group_ingress_rules = {
    http = { from_port = 80, to_port = 80, ip_protocol = "tcp", cidr_ipv4 = "0.0.0.0/0" }
  }
  security_group_egress_rules = {
    vpc = { ip_protocol = "-1", cidr_ipv4 = "10.20.0.0/16" }
  }
  listeners = {
    http = {
      port     = 80
      protocol = "HTTP"
      fixed_response = {
        content_type = "text/plain"
        status_code  = "404"
      }
      rules = {
        production = {
          priority = 1
          actions = [{
            weighted_forward = {
              target_groups = [
                { target_group_key = "blue", weight = 100 },
                { target_group_key = "green", weight = 0 },
              ]
            }
          }]
          conditions = [{ path_pattern = { values = ["/*"] } }]
        }
        health = {
          priority   = 2
          actions    = [{ forward = { target_group_key = "blue" } }]
          conditions = [{ path_pattern = { values = ["/health"] } }]
        }
      }
    }
  }
  target_groups = {
    blue  = { backend_protocol = "HTTP", backend_port = local.port, target_type = "ip", create_attachment = false }
    green = { backend_protocol = "HTTP", backend_port = local.port, target_type = "ip", create_attachment = false }
  }
}

output "rule" { value = module.alb.listener_rules["http/production"].arn }
output "service_sg" { value = module.api.security_group_id }
