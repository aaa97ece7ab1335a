# Written for ecsnet (round thirty-six): Fargate task storage of 20 GiB
# (the default, which the provider's schema refuses when written) and of
# 21 and 200 GiB (its bounds).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_ecs_task_definition" "default_written" {
  family                   = "twenty"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  ephemeral_storage {
    size_in_gib = 20
  }
  container_definitions = jsonencode([{ name = "app", image = "nginx", essential = true }])
}

resource "aws_ecs_task_definition" "bounds" {
  count                    = 2
  family                   = "bound-${count.index}"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  ephemeral_storage {
    size_in_gib = [21, 200][count.index]
  }
  container_definitions = jsonencode([{ name = "app", image = "nginx", essential = true }])
}
