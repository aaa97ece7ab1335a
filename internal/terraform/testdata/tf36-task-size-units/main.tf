# Written for ecsnet (round thirty-six): a task size in vCPU and GB, as a
# public single-file configuration of an EC2 capacity provider wrote it
# (cpu = "1 vCPU", memory = "3 GB"), beside one in units.
provider "aws" {
  region = "us-east-2"
}

resource "aws_ecs_task_definition" "words" {
  family       = "words"
  network_mode = "awsvpc"
  cpu          = "1 vCPU"
  memory       = "3 GB"
  container_definitions = jsonencode([{
    name         = "app"
    image        = "nginx"
    cpu          = 256
    memory       = 512
    portMappings = [{ containerPort = 80 }]
  }])
}

resource "aws_ecs_task_definition" "units" {
  family                   = "units"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = "512"
  container_definitions = jsonencode([{
    name         = "app"
    image        = "nginx"
    portMappings = [{ containerPort = 80 }]
  }])
}
