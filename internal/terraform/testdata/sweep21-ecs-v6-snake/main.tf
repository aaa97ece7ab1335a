provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "v" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "g" {
  vpc_id = aws_vpc.v.id
}

resource "aws_subnet" "a" {
  vpc_id                  = aws_vpc.v.id
  cidr_block              = "10.0.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "b" {
  vpc_id                  = aws_vpc.v.id
  cidr_block              = "10.0.2.0/24"
  availability_zone       = "us-east-1b"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "r" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.g.id
  }
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.r.id
}

resource "aws_route_table_association" "b" {
  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.r.id
}

resource "aws_security_group" "lb" {
  vpc_id = aws_vpc.v.id
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "task" {
  vpc_id = aws_vpc.v.id
  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "l" {
  name            = "pub"
  subnets         = [aws_subnet.a.id, aws_subnet.b.id]
  security_groups = [aws_security_group.lb.id]
}

resource "aws_lb_target_group" "this" {
  name        = "pub-core"
  port        = 80
  protocol    = "HTTP"
  vpc_id      = aws_vpc.v.id
  target_type = "ip"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.l.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }
}

module "ecs_service" {
  source = "terraform-aws-modules/ecs/aws//modules/service"
  name   = "pub-core"

  cluster_arn = aws_ecs_cluster.c.arn
  cpu         = 256
  memory      = 512

  container_definitions = {
    nginx = {
      essential = true
      image     = "nginx"
      port_mappings = [{
        name          = "core-nginx"
        protocol      = "tcp"
        hostPort      = 8080
        containerPort = 8080
      }]
      readonly_root_filesystem = false
    }
  }

  load_balancer = {
    service = {
      target_group_arn = aws_lb_target_group.this.arn
      container_name   = "nginx"
      container_port   = 8080
    }
  }

  subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
  security_group_ids = [aws_security_group.task.id]
  assign_public_ip   = true

  depends_on = [aws_lb_listener.http]
}

resource "aws_ecs_cluster" "c" {
  name = "pub"
}
