# Written for round 39: security group rules and an ECS service's load
# balancer written as `dynamic` blocks (an ALB group whose ingress comes
# from a local list, a task group admitting the ALB's group, the service's
# load_balancer block from a map), and a second service whose
# load_balancer names one of two target groups through a dynamic block
# (var.second_service). tf39-dynamic-plan.json is its `terraform show -json` plan (terraform
# 1.11.4, hashicorp/aws 5.100.0, planned against ecsnet serve): the
# dynamic blocks are expanded in planned_values, their arguments known
# only after apply left out, and the configuration holds no expression
# for them. tf39-dynamic-two-plan.json is its plan with
# -var second_service=true.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}
provider "aws" { region = "us-east-1" }

locals {
  ingress = [
    { port = 80, cidrs = ["0.0.0.0/0"] },
    { port = 443, cidrs = ["0.0.0.0/0"] },
  ]
  lbs = { web = 80 }
}

resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_hostnames = true
}
resource "aws_internet_gateway" "gw" { vpc_id = aws_vpc.main.id }
resource "aws_subnet" "pub" {
  count                   = 2
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone       = ["us-east-1a", "us-east-1b"][count.index]
  map_public_ip_on_launch = true
}
resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}
resource "aws_route_table_association" "pub" {
  count          = 2
  subnet_id      = aws_subnet.pub[count.index].id
  route_table_id = aws_route_table.pub.id
}
resource "aws_security_group" "alb" {
  name   = "alb"
  vpc_id = aws_vpc.main.id
  dynamic "ingress" {
    for_each = local.ingress
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidrs
    }
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group" "task" {
  name   = "task"
  vpc_id = aws_vpc.main.id
  dynamic "ingress" {
    for_each = local.lbs
    content {
      from_port       = ingress.value
      to_port         = ingress.value
      protocol        = "tcp"
      security_groups = [aws_security_group.alb.id]
    }
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_lb" "web" {
  name            = "web"
  subnets         = aws_subnet.pub[*].id
  security_groups = [aws_security_group.alb.id]
}
resource "aws_lb_target_group" "web" {
  name        = "web"
  port        = 80
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id
}
resource "aws_lb_listener" "web" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
resource "aws_ecs_cluster" "main" { name = "dyn" }
resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name         = "web"
    image        = "public.ecr.aws/nginx/nginx:latest"
    essential    = true
    portMappings = [{ containerPort = 80 }]
  }])
}
resource "aws_ecs_service" "web" {
  name            = "web"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = aws_subnet.pub[*].id
    security_groups  = [aws_security_group.task.id]
    assign_public_ip = true
  }
  dynamic "load_balancer" {
    for_each = local.lbs
    content {
      target_group_arn = aws_lb_target_group.web.arn
      container_name   = load_balancer.key
      container_port   = load_balancer.value
    }
  }
  depends_on = [aws_lb_listener.web]
}

# A second target group and a service whose dynamic load_balancer names
# it: with two target groups the plan cannot say which.
variable "second_service" {
  type    = bool
  default = false
}
resource "aws_lb_target_group" "api" {
  count       = var.second_service ? 1 : 0
  name        = "api"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id
}
resource "aws_lb_listener_rule" "api" {
  count        = var.second_service ? 1 : 0
  listener_arn = aws_lb_listener.web.arn
  priority     = 10
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api[0].arn
  }
  condition {
    path_pattern { values = ["/api/*"] }
  }
}
resource "aws_ecs_service" "api" {
  count           = var.second_service ? 1 : 0
  name            = "api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = aws_subnet.pub[*].id
    security_groups  = [aws_security_group.task.id]
    assign_public_ip = true
  }
  dynamic "load_balancer" {
    for_each = { web = 80 }
    content {
      target_group_arn = aws_lb_target_group.api[0].arn
      container_name   = load_balancer.key
      container_port   = load_balancer.value
    }
  }
  depends_on = [aws_lb_listener_rule.api]
}
