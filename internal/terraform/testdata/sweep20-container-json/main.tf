# After 71rima/projectPOC ecs.tf @2bbc5b0a: a container's environment
# given as a string where ECS takes a list of name/value pairs. The
# provider's plan-time validation refuses it.
provider "aws" {
  region = "us-east-1"
}

resource "aws_ecs_task_definition" "this" {
  family                   = "nginx"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name        = "nginxcontainer"
    image       = "nginx:latest"
    essential   = true
    environment = "test"
    portMappings = [{
      protocol      = "tcp"
      containerPort = 80
      hostPort      = 80
    }]
  }])
}

# The same container with a nested mistake: a port mapping's protocol
# given as a list.
resource "aws_ecs_task_definition" "nested" {
  family                   = "nested"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name  = "web"
    image = "nginx:latest"
    portMappings = [{
      protocol      = ["tcp"]
      containerPort = 80
    }]
  }])
}

# A port given as a string, as a template renders "${appport}"
# (hashicorp/terraform-provider-aws#35956).
resource "aws_ecs_task_definition" "quoted" {
  family                   = "quoted"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions    = <<-EOT
    [{"name": "web", "image": "nginx:latest", "portMappings": [{"containerPort": "80", "hostPort": 80}]}]
  EOT
}
