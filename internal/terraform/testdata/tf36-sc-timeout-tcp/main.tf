# Written for ecsnet (round thirty-six) on sweep14-sc-defaults: two
# Fargate services on Service Connect, each with a timeout block. "web"'s
# port has appProtocol http, so its per-request timeout is taken; "cart"'s
# has none (TCP), and the provider sends per_request_timeout_seconds 0
# with any timeout block, which ECS refuses for a TCP port ("Per request
# timeout 0 can't be set for tcp application.", pulumi/pulumi-aws#4265).
provider "aws" {
  region = "us-east-1"
}

resource "aws_service_discovery_http_namespace" "ns" {
  name = "shop.local"
}

resource "aws_ecs_cluster" "c" {
  name = "shop"
  service_connect_defaults {
    namespace = aws_service_discovery_http_namespace.ns.arn
  }
}

locals {
  ns = aws_ecs_cluster.c.service_connect_defaults[0].namespace
}

resource "aws_vpc" "v" {
  cidr_block = "10.5.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.5.1.0/24"
}

resource "aws_internet_gateway" "i" {
  vpc_id = aws_vpc.v.id
}

resource "aws_default_route_table" "r" {
  default_route_table_id = aws_vpc.v.default_route_table_id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.i.id
  }
}

resource "aws_security_group" "g" {
  vpc_id = aws_vpc.v.id
  ingress {
    from_port = 0
    to_port   = 65535
    protocol  = "tcp"
    self      = true
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_task_definition" "t" {
  for_each                 = { cart = 8000, web = 3000 }
  family                   = each.key
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name         = each.key
    image        = "public.ecr.aws/nginx/nginx:latest"
    portMappings = [merge({ containerPort = each.value, name = each.key }, each.key == "web" ? { appProtocol = "http" } : {})]
  }])
}

resource "aws_ecs_service" "s" {
  for_each        = { cart = 8000, web = 3000 }
  name            = each.key
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t[each.key].arn
  launch_type     = "FARGATE"
  desired_count   = 1
  depends_on      = [aws_default_route_table.r]
  network_configuration {
    subnets         = [aws_subnet.a.id]
    security_groups  = [aws_security_group.g.id]
    assign_public_ip = true
  }
  service_connect_configuration {
    enabled   = true
    namespace = local.ns
    service {
      port_name      = each.key
      discovery_name = each.key
      client_alias {
        port     = each.value
        dns_name = "${each.key}-svc"
      }
      timeout {
        idle_timeout_seconds        = 3600
        per_request_timeout_seconds = each.key == "web" ? 30 : null
      }
    }
    log_configuration {
      log_driver = "awslogs"
      options = {
        awslogs-group         = "/ecs/shop"
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = "sc-${each.key}"
      }
    }
  }
}
