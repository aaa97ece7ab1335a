# A Fargate task definition whose port mapping names the application's
# protocol where the transport goes, beside a subnet outside its VPC's
# range: AWS refuses both during the same apply.
provider "aws" {
  region = "ap-southeast-2"
}

resource "aws_vpc" "svc" {
  cidr_block = "172.31.0.0/16"
}

resource "aws_subnet" "outside" {
  vpc_id     = aws_vpc.svc.id
  cidr_block = "192.168.4.0/24"
}

resource "aws_ecs_task_definition" "orders" {
  family                   = "orders"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name  = "orders"
    image = "public.ecr.aws/docker/library/nginx:stable"
    portMappings = [{
      containerPort = 8000
      protocol      = "http"
    }]
  }])
}
