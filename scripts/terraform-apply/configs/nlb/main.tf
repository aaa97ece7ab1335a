# A Network Load Balancer in front of awsvpc Fargate tasks: TCP and TLS
# listeners (an imported certificate, a TLS policy and ALPN), cross-zone
# load balancing, target group attributes (deregistration delay and
# connection termination, source-IP stickiness, proxy protocol v2 on one
# group, preserve_client_ip on another), TCP health checks, and the NLB's
# own security group.
# cert.pem and key.pem beside this file are a throwaway self-signed test
# certificate (openssl req -x509), for ACM ImportCertificate only.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_availability_zones" "azs" { state = "available" }

resource "aws_vpc" "this" {
  cidr_block           = "10.60.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_subnet" "public" {
  count                   = 3
  vpc_id                  = aws_vpc.this.id
  cidr_block              = "10.60.${count.index}.0/24"
  availability_zone       = data.aws_availability_zones.azs.names[count.index]
  map_public_ip_on_launch = true
}

resource "aws_default_route_table" "this" {
  default_route_table_id = aws_vpc.this.default_route_table_id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
}

resource "aws_security_group" "nlb" {
  name   = "nlb"
  vpc_id = aws_vpc.this.id
}

resource "aws_security_group_rule" "nlb_in" {
  for_each          = toset(["80", "443", "5432"])
  type              = "ingress"
  security_group_id = aws_security_group.nlb.id
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group_rule" "nlb_out" {
  type                     = "egress"
  security_group_id        = aws_security_group.nlb.id
  from_port                = 0
  to_port                  = 65535
  protocol                 = "tcp"
  source_security_group_id = aws_security_group.task.id
}

resource "aws_security_group" "task" {
  name   = "nlb-task"
  vpc_id = aws_vpc.this.id
  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.nlb.id]
  }
  ingress {
    from_port   = 5432
    to_port     = 5432
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

resource "aws_acm_certificate" "imported" {
  private_key      = file("${path.module}/key.pem")
  certificate_body = file("${path.module}/cert.pem")
  lifecycle { create_before_destroy = true }
}

resource "aws_lb" "nlb" {
  name                             = "nlb"
  internal                         = false
  load_balancer_type               = "network"
  subnets                          = aws_subnet.public[*].id
  security_groups                  = [aws_security_group.nlb.id]
  enable_cross_zone_load_balancing = true
  enable_deletion_protection       = false
  ip_address_type                  = "ipv4"
  dns_record_client_routing_policy = "availability_zone_affinity"
  enforce_security_group_inbound_rules_on_private_link_traffic = "off"
  tags                             = { Name = "nlb" }
}

resource "aws_lb_target_group" "tcp" {
  name                              = "nlb-tcp"
  port                              = 8080
  protocol                          = "TCP"
  target_type                       = "ip"
  vpc_id                            = aws_vpc.this.id
  deregistration_delay              = 30
  connection_termination            = true
  proxy_protocol_v2                 = true
  preserve_client_ip                = "false"
  stickiness {
    enabled = true
    type    = "source_ip"
  }
  health_check {
    protocol            = "TCP"
    port                = "traffic-port"
    interval            = 10
    healthy_threshold   = 3
    unhealthy_threshold = 3
  }
}

resource "aws_lb_target_group" "pg" {
  name                 = "nlb-pg"
  port                 = 5432
  protocol             = "TCP"
  target_type          = "ip"
  vpc_id               = aws_vpc.this.id
  deregistration_delay = "0"
  preserve_client_ip   = "true"
  health_check {
    enabled  = true
    protocol = "HTTP"
    path     = "/health"
    port     = "8080"
    matcher  = "200-399"
  }
  target_health_state {
    enable_unhealthy_connection_termination = false
  }
}

resource "aws_lb_listener" "tcp" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 80
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tcp.arn
  }
}

resource "aws_lb_listener" "tls" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.imported.arn
  alpn_policy       = "HTTP2Preferred"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tcp.arn
  }
}

resource "aws_lb_listener" "pg" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 5432
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.pg.arn
  }
}

resource "aws_iam_role" "execution" {
  name = "nlb-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_cluster" "this" {
  name = "nlb"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "nlb-app"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name         = "app"
      image        = "public.ecr.aws/nginx/nginx:stable"
      essential    = true
      portMappings = [{ containerPort = 8080 }, { containerPort = 5432 }]
    }
  ])
}

resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = aws_ecs_cluster.this.arn
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  platform_version = "1.4.0"
  network_configuration {
    subnets          = aws_subnet.public[*].id
    security_groups  = [aws_security_group.task.id]
    assign_public_ip = true
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.tcp.arn
    container_name   = "app"
    container_port   = 8080
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.pg.arn
    container_name   = "app"
    container_port   = 5432
  }
  depends_on = [aws_lb_listener.tcp, aws_lb_listener.tls, aws_lb_listener.pg]
}

output "nlb" { value = aws_lb.nlb.dns_name }
