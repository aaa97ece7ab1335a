locals {
  name       = "fastapi-ecs-fargate"
  aws_region = "eu-central-1"
}
