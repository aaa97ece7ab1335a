# After a call of terraform-aws-modules/ecs/aws//modules/service 5.2.2
# (code-index file id 1913284834, a miniflux deployment; no repository
# named): environment values given as numbers, which the module's
# container-definition submodule types as strings.
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_ecs_cluster" "main" {
  name = "sample"
}

module "ecs_service" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "5.2.2"

  name        = "sample"
  cluster_arn = aws_ecs_cluster.main.arn
  cpu         = 1024
  memory      = 2048

  container_definitions = {
    miniflux = {
      image     = "miniflux/miniflux:2.0.36"
      essential = true
      port_mappings = [{
        name          = "miniflux"
        containerPort = 8120
        hostPort      = 8120
        protocol      = "tcp"
      }]
      environment = [
        { name = "PORT", value = 8120 },
        { name = "DEBUG", value = true },
      ]
      secrets = [
        { name = "ADMIN", valueFrom = "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin" },
      ]
      enable_cloudwatch_logging = false
    }
  }

  subnet_ids = [aws_subnet.a.id]
}
