# A task definition whose container definition misspells two keys by
# swapping letters, as hurried typing does: "essnetail" (two pairs
# swapped) and "portMpapigns" (two pairs swapped).
provider "aws" {
  region = "eu-west-1"
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([{
    name              = "api"
    image             = "public.ecr.aws/docker/library/httpd:2.4"
    memory            = 512
    essnetail         = true
    portMpapigns      = []
  }])
}
