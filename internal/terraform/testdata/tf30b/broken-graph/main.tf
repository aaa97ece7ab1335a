# A configuration broken in several places: terraform validate skips a
# node that depends on a failed one, says only the invalid references of a
# node that has some, and evaluates file() of a file that is not there.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

module "net" {
  source = "./modules/net"
  cidr   = "10.20.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.20.1.0/24"
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = module.net.vpc_id
}

resource "aws_ecs_cluster" "main" {
  name = "main"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions    = file("./containers.json")
}

resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.app.id, module.net.private_subnet_id]
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_lb_target_group" "app" {
  name        = "app"
  port        = var.app_port
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = module.net.vpc_id
}

output "subnet" {
  value = aws_subnet.app.id
}

# Refers to the subnet, which failed: not validated (its own undeclared
# variable and misspelt block are not said).
resource "aws_security_group" "db" {
  name   = var.db_name
  vpc_id = aws_subnet.app.vpc_id
  ingres {
    from_port = 5432
  }
}

# An undeclared local value: said alone, not the misspelt block nor the
# module's missing output.
resource "aws_security_group" "cache" {
  name   = local.cache_name
  vpc_id = module.net.vpc_id
  ingres {
    from_port = 6379
  }
}

# A reference from a block the schema refuses is no edge: this one is
# validated although the target group failed.
resource "aws_security_group" "edge" {
  name   = "edge"
  vpc_id = "vpc-0123456789abcdef0"
  egres {
    description = aws_lb_target_group.app.arn
  }
}

locals {
  subnet_id = aws_subnet.app.id
  bucket    = module.net.bucket
}

output "subnet_id" {
  value = local.subnet_id
}

output "region" {
  value = var.region
}
