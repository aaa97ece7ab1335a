# Round twelve: aws_ecs_service's deployment_maximum_percent,
# deployment_minimum_healthy_percent and deployment_circuit_breaker go to
# ECS's deploymentConfiguration (they were said unread); a service that
# sets none gets ECS's 200/100.
provider "aws" {
  region = "us-east-1"
}

resource "aws_ecs_cluster" "c" {
  name = "c"
}

resource "aws_ecs_task_definition" "t" {
  family                = "t"
  network_mode          = "bridge"
  container_definitions = jsonencode([{ name = "a", image = "nginx", memory = 128 }])
}

resource "aws_ecs_service" "one" {
  name                               = "one"
  cluster                            = aws_ecs_cluster.c.id
  task_definition                    = aws_ecs_task_definition.t.arn
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 0
  enable_execute_command             = true
  availability_zone_rebalancing      = "DISABLED"
  deployment_circuit_breaker {
    enable   = true
    rollback = false
  }
}

resource "aws_ecs_service" "two" {
  name            = "two"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
}
