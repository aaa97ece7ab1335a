# Round twelve: task definitions by for_each name their image with
# aws_ecr_repository.x[each.key].repository_url (a computed index); the
# repository, which ecsnet does not model, still gives its URL. A dynamic
# load_balancer block that makes no block for one instance is not said
# unread.
provider "aws" {
  region = "us-east-1"
}

locals {
  services = { worker = 0 }
}

resource "aws_ecr_repository" "svc" {
  for_each = local.services
  name     = "app/${each.key}"
}

resource "aws_cloudwatch_log_group" "svc" {
  for_each = local.services
  name     = "/ecs/${each.key}"
}

resource "aws_ecs_cluster" "c" {
  name = "c"
}

resource "aws_ecs_task_definition" "svc" {
  for_each     = local.services
  family       = each.key
  network_mode = "bridge"
  container_definitions = jsonencode([{
    name   = each.key
    image  = "${aws_ecr_repository.svc[each.key].repository_url}:1"
    memory = 128
    logConfiguration = {
      logDriver = "awslogs"
      options   = { awslogs-group = aws_cloudwatch_log_group.svc[each.key].name, awslogs-region = "us-east-1" }
    }
  }])
}

resource "aws_ecs_service" "svc" {
  for_each        = local.services
  name            = each.key
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.svc[each.key].arn
  dynamic "load_balancer" {
    for_each = each.value > 0 ? ["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/0123456789abcdef"] : []
    content {
      target_group_arn = load_balancer.value
      container_name   = each.key
      container_port   = each.value
    }
  }
}
