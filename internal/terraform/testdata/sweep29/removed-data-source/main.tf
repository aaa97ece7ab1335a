# A worker service placed in the first of the default VPC's subnets, found
# with the v4 data source that lists subnet ids; no version constraint.
provider "aws" {
  region = "us-east-1"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnet_ids" "all" {
  vpc_id = data.aws_vpc.default.id
}

data "aws_subnet" "each" {
  for_each = data.aws_subnet_ids.all.ids
  id       = each.value
}

resource "aws_ecs_cluster" "jobs" {
  name = "jobs"
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "worker"
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  requires_compatibilities = ["FARGATE"]
  container_definitions = jsonencode([{
    name      = "worker"
    image     = "public.ecr.aws/docker/library/busybox:latest"
    essential = true
    command   = ["sleep", "3600"]
  }])
}

resource "aws_ecs_service" "worker" {
  name            = "worker"
  cluster         = aws_ecs_cluster.jobs.id
  task_definition = aws_ecs_task_definition.worker.arn
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = values(data.aws_subnet.each)[0].id
    assign_public_ip = true
  }
}
