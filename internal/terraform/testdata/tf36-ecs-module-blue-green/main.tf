# Written for ecsnet (round thirty-six) after the shape of
# terraform-aws-modules/terraform-aws-ecs examples/blue-green (the ECS
# module v6 at ~> 6.0 from the registry, alb ~> 9.0, vpc ~> 6.0; not
# installed: read with ecsnet's stand-ins): an ECS-native blue/green
# service (deployment_configuration strategy BLUE_GREEN, a load balancer
# with an advanced_configuration naming the alternate target group and the
# production and test listener rules), a FireLens sidecar whose image is
# the public SSM parameter of AWS for Fluent Bit, and no depends_on on the
# alb module: the service waits for the listener rules it names.
provider "aws" {
  region = "eu-west-1"
}

data "aws_availability_zones" "available" {}

locals {
  name = "bluegreen"
  azs  = slice(data.aws_availability_zones.available.names, 0, 2)
}

data "aws_ssm_parameter" "fluentbit" {
  name = "/aws/service/aws-for-fluent-bit/stable"
}

resource "aws_iam_role" "ecs_elb" {
  name = "bluegreen-ecs-elb"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = ["ecs.amazonaws.com"] } }]
  })
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"

  name               = local.name
  cidr               = "10.0.0.0/16"
  azs                = local.azs
  private_subnets    = ["10.0.0.0/20", "10.0.16.0/20"]
  public_subnets     = ["10.0.48.0/24", "10.0.49.0/24"]
  enable_nat_gateway = true
  single_nat_gateway = true
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
    ex_http = {
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
            type          = "weighted-forward"
            target_groups = [{ target_group_key = "blue", weight = 100 }, { target_group_key = "green", weight = 0 }]
          }]
          conditions = [{ path_pattern = { values = ["/*"] } }]
        }
        test = {
          priority = 2
          actions = [{
            type          = "weighted-forward"
            target_groups = [{ target_group_key = "green", weight = 100 }]
          }]
          conditions = [{ path_pattern = { values = ["/*"] } }]
        }
      }
    }
  }

  target_groups = {
    blue  = { backend_protocol = "HTTP", backend_port = 3000, target_type = "ip", create_attachment = false }
    green = { backend_protocol = "HTTP", backend_port = 3000, target_type = "ip", create_attachment = false }
  }
}

module "ecs" {
  source  = "terraform-aws-modules/ecs/aws"
  version = "~> 6.0"

  cluster_name = local.name

  services = {
    web = {
      cpu    = 1024
      memory = 4096

      deployment_configuration = {
        strategy             = "BLUE_GREEN"
        bake_time_in_minutes = 2
      }

      container_definitions = {
        fluent-bit = {
          essential             = true
          image                 = nonsensitive(data.aws_ssm_parameter.fluentbit.value)
          firelensConfiguration = { type = "fluentbit" }
          memoryReservation     = 50
        }
        web = {
          essential    = true
          image        = "public.ecr.aws/aws-containers/ecsdemo-frontend:776fd50"
          portMappings = [{ name = "web", containerPort = 3000, protocol = "tcp" }]
        }
      }

      load_balancer = {
        service = {
          target_group_arn = module.alb.target_groups["blue"].arn
          container_name   = "web"
          container_port   = 3000
          advanced_configuration = {
            alternate_target_group_arn = module.alb.target_groups["green"].arn
            production_listener_rule   = module.alb.listener_rules["ex_http/production"].arn
            test_listener_rule         = module.alb.listener_rules["ex_http/test"].arn
            role_arn                   = aws_iam_role.ecs_elb.arn
          }
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
