# The registry ALB module (its v9 maps of listeners and target groups),
# not installed: ecsnet reads it with its stand-in. An HTTP listener that
# redirects, an HTTPS-less setup kept simple: port 8080 forwards, with a
# path rule to a second target group.
provider "aws" {
  region = "us-east-1"
}

data "aws_availability_zones" "available" {}

module "vpc" {
  source = "terraform-aws-modules/vpc/aws"

  name               = "web"
  cidr               = "10.8.0.0/16"
  azs                = slice(data.aws_availability_zones.available.names, 0, 2)
  public_subnets     = ["10.8.0.0/24", "10.8.1.0/24"]
  private_subnets    = ["10.8.10.0/24", "10.8.11.0/24"]
  enable_nat_gateway = true
  single_nat_gateway = true
}

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.0"

  name    = "web"
  vpc_id  = module.vpc.vpc_id
  subnets = module.vpc.public_subnets

  enable_deletion_protection = false

  security_group_ingress_rules = {
    all_http = {
      from_port   = 80
      to_port     = 80
      ip_protocol = "tcp"
      cidr_ipv4   = "0.0.0.0/0"
    }
  }
  security_group_egress_rules = {
    all = {
      ip_protocol = "-1"
      cidr_ipv4   = module.vpc.vpc_cidr_block
    }
  }

  listeners = {
    http = {
      port     = 80
      protocol = "HTTP"
      forward = {
        target_group_key = "app"
      }
      rules = {
        api = {
          priority = 10
          actions  = [{ type = "forward", target_group_key = "api" }]
          conditions = [{
            path_pattern = { values = ["/api/*"] }
          }]
        }
      }
    }
  }

  target_groups = {
    app = {
      backend_protocol  = "HTTP"
      backend_port      = 80
      target_type       = "ip"
      create_attachment = false
      health_check      = { path = "/", matcher = "200" }
    }
    api = {
      protocol          = "HTTP"
      port              = 8080
      target_type       = "ip"
      create_attachment = false
    }
  }
}

resource "aws_security_group" "tasks" {
  name   = "tasks"
  vpc_id = module.vpc.vpc_id
  ingress {
    from_port       = 0
    to_port         = 65535
    protocol        = "tcp"
    security_groups = [module.alb.security_group_id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_cluster" "web" {
  name = "web"
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = { app = 80, api = 8080 }
  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions    = jsonencode([{ name = each.key, image = "nginx", essential = true, portMappings = [{ containerPort = each.value }] }])
}

resource "aws_ecs_service" "svc" {
  for_each        = { app = 80, api = 8080 }
  name            = each.key
  cluster         = aws_ecs_cluster.web.id
  task_definition = aws_ecs_task_definition.svc[each.key].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = module.vpc.private_subnets
    security_groups = [aws_security_group.tasks.id]
  }
  load_balancer {
    target_group_arn = module.alb.target_groups[each.key].arn
    container_name   = each.key
    container_port   = each.value
  }
}

output "dns_name" {
  value = module.alb.dns_name
}
