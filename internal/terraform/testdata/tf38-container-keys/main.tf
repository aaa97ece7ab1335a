# Written for round thirty-eight: container definitions with their keys
# capitalized ("Name", "Image", "PortMappings", "LogConfiguration"), as
# some configurations write them after the CloudFormation property names.
# The provider decodes them with encoding/json, which matches keys without
# regard to case, so ECS gets name, image, portMappings and
# logConfiguration.

provider "aws" {
  region = "eu-west-1"
}

resource "aws_cloudwatch_log_group" "app" {
  name = "app"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
  container_definitions = jsonencode([{
    Name      = "app"
    Essential = true
    Image     = "public.ecr.aws/docker/library/nginx:latest"
    PortMappings = [{
      ContainerPort = 80
      Protocol      = "tcp"
    }]
    Environment = [{ Name = "MODE", Value = "demo" }]
    LogConfiguration = {
      LogDriver = "awslogs"
      Options = {
        awslogs-region        = "eu-west-1"
        awslogs-group         = aws_cloudwatch_log_group.app.name
        awslogs-stream-prefix = "app"
      }
    }
  }])
}
