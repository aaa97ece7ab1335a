provider "aws" {
  region = "us-east-1"
}

resource "aws_ecs_task_definition" "dns" {
  family                   = "dns"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name      = "coredns"
    image     = "coredns/coredns:1.11.1"
    essential = true
    portMappings = [
      { containerPort = 53, protocol = "UDP" },
      { containerPort = 8080, protocol = "tcp" },
    ]
  }])
}
