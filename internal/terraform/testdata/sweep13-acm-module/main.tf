# The ACM module's certificate, validated in a zone of the configuration,
# on the ALB module's HTTPS listener; a service by the ECS service module
# whose container takes a secret from Parameter Store and logs to
# CloudWatch.
provider "aws" {
  region = "eu-west-2"
}

resource "aws_route53_zone" "main" {
  name = "example.net"
}

module "acm" {
  source  = "terraform-aws-modules/acm/aws"
  version = "~> 5.0"

  domain_name               = "app.example.net"
  subject_alternative_names = ["*.app.example.net"]
  zone_id                   = aws_route53_zone.main.zone_id
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name            = "acm"
  cidr            = "10.30.0.0/16"
  azs             = ["eu-west-2a", "eu-west-2b"]
  public_subnets  = ["10.30.0.0/24", "10.30.1.0/24"]
  private_subnets = ["10.30.10.0/24", "10.30.11.0/24"]

  enable_nat_gateway = true
  single_nat_gateway = true
}

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.0"

  name    = "acm"
  vpc_id  = module.vpc.vpc_id
  subnets = module.vpc.public_subnets

  security_group_ingress_rules = {
    https = {
      from_port   = 443
      to_port     = 443
      ip_protocol = "tcp"
      cidr_ipv4   = "0.0.0.0/0"
    }
  }
  security_group_egress_rules = {
    all = {
      ip_protocol = "-1"
      cidr_ipv4   = "10.30.0.0/16"
    }
  }

  listeners = {
    https = {
      port            = 443
      protocol        = "HTTPS"
      certificate_arn = module.acm.acm_certificate_arn
      forward = {
        target_group_key = "app"
      }
    }
  }

  target_groups = {
    app = {
      backend_protocol  = "HTTP"
      backend_port      = 8080
      target_type       = "ip"
      create_attachment = false
    }
  }
}

module "cluster" {
  source  = "terraform-aws-modules/ecs/aws//modules/cluster"
  version = "~> 5.0"

  cluster_name = "acm"
}

resource "aws_ssm_parameter" "token" {
  name  = "/acm/token"
  type  = "SecureString"
  value = "s3cr3t"
}

module "app" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.0"

  name        = "app"
  cluster_arn = module.cluster.arn
  subnet_ids  = module.vpc.private_subnets

  container_definitions = {
    app = {
      image = "public.ecr.aws/nginx/nginx:latest"
      port_mappings = [
        { containerPort = 8080, protocol = "tcp" }
      ]
      secrets = [
        { name = "TOKEN", valueFrom = aws_ssm_parameter.token.arn }
      ]
      log_configuration = {
        logDriver = "awslogs"
        options = {
          awslogs-region        = "eu-west-2"
          awslogs-group         = "/acm/app"
          awslogs-stream-prefix = "app"
        }
      }
    }
  }

  load_balancer = {
    app = {
      target_group_arn = module.alb.target_groups["app"].arn
      container_name   = "app"
      container_port   = 8080
    }
  }

  security_group_rules = {
    alb = {
      type                     = "ingress"
      from_port                = 8080
      to_port                  = 8080
      protocol                 = "tcp"
      source_security_group_id = module.alb.security_group_id
    }
    egress = {
      type        = "egress"
      from_port   = 0
      to_port     = 0
      protocol    = "-1"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
