# Service Connect between two Fargate services in a Cloud Map HTTP
# namespace (the cluster's default namespace), as the ECS Service Connect
# blog posts and the ecs-blueprints write it: the server publishes a named
# port mapping as a client/server service with a discovery name, timeouts
# and a log configuration for the proxy; the client is client-only; both
# use ECS Exec. A Cloud Map private DNS namespace with a service holding
# DNS records and a custom health check sits beside it.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "us-east-1"
  default_tags { tags = { Project = "tfapply-service-connect" } }
}

data "aws_availability_zones" "azs" { state = "available" }
data "aws_region" "current" {}

resource "aws_vpc" "this" {
  cidr_block           = "10.80.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_subnet" "this" {
  count                   = 2
  vpc_id                  = aws_vpc.this.id
  cidr_block              = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  availability_zone       = data.aws_availability_zones.azs.names[count.index]
  map_public_ip_on_launch = true
}

resource "aws_route" "internet" {
  route_table_id         = aws_vpc.this.main_route_table_id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_security_group" "svc" {
  name   = "sc-services"
  vpc_id = aws_vpc.this.id
  ingress {
    from_port = 0
    to_port   = 0
    protocol  = "-1"
    self      = true
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_service_discovery_http_namespace" "this" {
  name        = "sc.local"
  description = "Service Connect namespace"
}

resource "aws_service_discovery_private_dns_namespace" "dns" {
  name        = "internal.example"
  description = "DNS discovery"
  vpc         = aws_vpc.this.id
}

resource "aws_service_discovery_service" "worker" {
  name = "worker"
  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.dns.id
    routing_policy = "MULTIVALUE"
    dns_records {
      ttl  = 10
      type = "A"
    }
    dns_records {
      ttl  = 10
      type = "SRV"
    }
  }
  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_ecs_cluster" "this" {
  name = "service-connect"
  service_connect_defaults {
    namespace = aws_service_discovery_http_namespace.this.arn
  }
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/service-connect"
  retention_in_days = 1
}

data "aws_iam_policy_document" "tasks_assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "exec" {
  statement {
    sid = "Exec"
    actions = [
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
    ]
    resources = ["*"]
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
}

resource "aws_iam_role" "execution" {
  name               = "sc-execution"
  assume_role_policy = data.aws_iam_policy_document.tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role" "task" {
  name               = "sc-task"
  assume_role_policy = data.aws_iam_policy_document.tasks_assume.json
}

resource "aws_iam_policy" "exec" {
  name   = "sc-exec"
  policy = data.aws_iam_policy_document.exec.json
}

resource "aws_iam_role_policy_attachment" "task_exec" {
  role       = aws_iam_role.task.name
  policy_arn = aws_iam_policy.exec.arn
}

resource "aws_ecs_task_definition" "server" {
  family                   = "sc-server"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }
  container_definitions = jsonencode([{
    name      = "server"
    image     = "public.ecr.aws/docker/library/nginx:alpine"
    essential = true
    portMappings = [{
      name          = "http"
      containerPort = 80
      protocol      = "tcp"
      appProtocol   = "http"
    }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = data.aws_region.current.name
        awslogs-stream-prefix = "server"
      }
    }
  }])
}

resource "aws_ecs_task_definition" "client" {
  family                   = "sc-client"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions = jsonencode([{
    name      = "client"
    image     = "public.ecr.aws/docker/library/busybox:latest"
    essential = true
    command   = ["sh", "-c", "while true; do wget -qO- http://server.sc.local/ || true; sleep 5; done"]
  }])
}

resource "aws_ecs_service" "server" {
  name                   = "server"
  cluster                = aws_ecs_cluster.this.id
  task_definition        = aws_ecs_task_definition.server.arn
  desired_count          = 2
  launch_type            = "FARGATE"
  enable_execute_command = true
  network_configuration {
    subnets          = aws_subnet.this[*].id
    security_groups  = [aws_security_group.svc.id]
    assign_public_ip = true
  }
  service_connect_configuration {
    enabled   = true
    namespace = aws_service_discovery_http_namespace.this.arn
    service {
      port_name             = "http"
      discovery_name        = "server"
      ingress_port_override = 8080
      client_alias {
        port     = 80
        dns_name = "server.sc.local"
      }
      timeout {
        idle_timeout_seconds        = 60
        per_request_timeout_seconds = 15
      }
    }
    log_configuration {
      log_driver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = data.aws_region.current.name
        awslogs-stream-prefix = "proxy"
      }
    }
  }
  depends_on = [aws_route.internet, aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "client" {
  name                   = "client"
  cluster                = aws_ecs_cluster.this.id
  task_definition        = aws_ecs_task_definition.client.arn
  desired_count          = 1
  enable_execute_command = true
  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
  }
  network_configuration {
    subnets          = aws_subnet.this[*].id
    security_groups  = [aws_security_group.svc.id]
    assign_public_ip = true
  }
  service_connect_configuration {
    enabled = true
  }
  depends_on = [aws_ecs_service.server, aws_ecs_cluster_capacity_providers.this]
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "sc-worker"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name         = "worker"
    image        = "public.ecr.aws/docker/library/nginx:alpine"
    essential    = true
    portMappings = [{ containerPort = 9000 }]
  }])
}

resource "aws_ecs_service" "worker" {
  name            = "worker"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.worker.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = aws_subnet.this[*].id
    security_groups  = [aws_security_group.svc.id]
    assign_public_ip = true
  }
  service_registries {
    registry_arn   = aws_service_discovery_service.worker.arn
    container_name = "worker"
    container_port = 9000
  }
  depends_on = [aws_route.internet]
}
