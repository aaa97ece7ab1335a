# Written for ecsnet (round thirty-seven) after the shape of
# terraform-aws-modules/terraform-aws-ecs examples/complete (the ECS module
# v6, alb ~> 9.0, vpc ~> 6.0; not installed: read with ecsnet's
# stand-ins): an HTTP/2 target group (the alb module's target_groups
# protocol_version) and a Service Connect service whose proxies talk TLS
# (the ecs module's service_connect_configuration service tls), which the
# real modules pass to aws_lb_target_group and aws_ecs_service.
provider "aws" {
  region = "eu-west-1"
}

locals {
  name = "keys"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"

  name               = local.name
  cidr               = "10.0.0.0/16"
  azs                = ["eu-west-1a", "eu-west-1b"]
  private_subnets    = ["10.0.0.0/20", "10.0.16.0/20"]
  public_subnets     = ["10.0.48.0/24", "10.0.49.0/24"]
  enable_nat_gateway = true
  single_nat_gateway = true
}

resource "aws_service_discovery_http_namespace" "this" {
  name = local.name
}

resource "aws_iam_role" "service_connect_tls" {
  name = "keys-sc-tls"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = ["ecs.amazonaws.com"] } }]
  })
}

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.0"

  name                       = local.name
  vpc_id                     = module.vpc.vpc_id
  subnets                    = module.vpc.public_subnets
  enable_deletion_protection = false

  security_group_ingress_rules = {
    http = { from_port = 80, to_port = 80, ip_protocol = "tcp", cidr_ipv4 = "0.0.0.0/0" }
  }
  security_group_egress_rules = {
    all = { ip_protocol = "-1", cidr_ipv4 = "10.0.0.0/16" }
  }

  listeners = {
    http = {
      port     = 80
      protocol = "HTTP"
      forward  = { target_group_key = "web" }
    }
  }

  target_groups = {
    web = {
      backend_protocol  = "HTTP"
      backend_port      = 3000
      protocol_version  = "HTTP2"
      target_type       = "ip"
      create_attachment = false
    }
  }
}

module "ecs" {
  source  = "terraform-aws-modules/ecs/aws"
  version = "~> 6.0"

  cluster_name = local.name

  services = {
    web = {
      cpu    = 512
      memory = 1024

      container_definitions = {
        web = {
          essential    = true
          image        = "public.ecr.aws/aws-containers/ecsdemo-frontend:776fd50"
          portMappings = [{ name = "web", containerPort = 3000, protocol = "tcp", appProtocol = "http2" }]
        }
      }

      service_connect_configuration = {
        namespace = aws_service_discovery_http_namespace.this.arn
        service = [{
          port_name      = "web"
          discovery_name = "web"
          client_alias   = { port = 3000, dns_name = "web" }
          tls = {
            issuer_cert_authority = {
              aws_pca_authority_arn = "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0f4a1b2c-1111-2222-3333-444455556666"
            }
            role_arn = aws_iam_role.service_connect_tls.arn
          }
        }]
      }

      load_balancer = {
        service = {
          target_group_arn = module.alb.target_groups["web"].arn
          container_name   = "web"
          container_port   = 3000
        }
      }

      subnet_ids = module.vpc.private_subnets
      security_group_ingress_rules = {
        alb = { from_port = 3000, referenced_security_group_id = module.alb.security_group_id }
      }
      security_group_egress_rules = {
        all = { cidr_ipv4 = "0.0.0.0/0", ip_protocol = "-1" }
      }
    }
  }
}
