# Round ten: a service in the root module names a capacity provider that
# the ECS module (not installed: the stand-in) makes, through the
# module's cluster_id output, which depends on the cluster alone.
# Terraform may create the service first, and ECS refuses it.
provider "aws" {
  region = "eu-central-1"
}

module "vpc" {
  source          = "terraform-aws-modules/vpc/aws"
  name            = "cp"
  cidr            = "10.0.0.0/16"
  azs             = ["eu-central-1a"]
  public_subnets  = ["10.0.101.0/24"]
  private_subnets = ["10.0.1.0/24"]
  enable_nat_gateway = true
}

resource "aws_launch_template" "hosts" {
  image_id      = "ami-0c1f2a3b4d5e6f708"
  instance_type = "t3.medium"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=cp >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "hosts" {
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = module.vpc.private_subnets
  launch_template {
    id = aws_launch_template.hosts.id
  }
}

module "ecs" {
  source  = "terraform-aws-modules/ecs/aws"
  version = "4.1.1"

  cluster_name                          = "cp"
  default_capacity_provider_use_fargate = false
  autoscaling_capacity_providers = {
    one = {
      auto_scaling_group_arn = aws_autoscaling_group.hosts.arn
    }
  }
}

resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = jsonencode([{ name = "app", image = "nginx", memory = 256 }])
}

resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = module.ecs.cluster_id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 1
  capacity_provider_strategy {
    capacity_provider = "one"
    weight            = 1
  }
}
