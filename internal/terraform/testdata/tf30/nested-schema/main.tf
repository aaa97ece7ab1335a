# Nested blocks against hashicorp/aws 5.100.0's schema: every error below
# is one terraform validate (1.11.4) lists, word for word.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "ports" {
  type    = list(number)
  default = [80, 443]
}

resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_prt    = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  # Written as blocks, every attribute of the object is optional.
  ingress {
    to_port  = 443
    protocol = "tcp"
  }
  # Written as an argument, each object gives every attribute (an extra
  # one is dropped); the first one that does not is the error.
  egress = [{
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = []
    prefix_list_ids  = []
    security_groups  = []
    self             = false
    description      = "all"
    note             = "dropped"
    }, {
    from_port = 53
    to_port   = 53
    protocol  = "udp"
  }]
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_porrt = ingress.value
      to_port    = ingress.value
      protocol   = "tcp"
    }
  }
}

resource "aws_lb_listener" "front" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/front/50dc6c495c0c9188"
  port              = 80
  default_action {
    forward {
      target_group {
        arm = "blue"
      }
      stickiness {
        enabled = true
      }
      stickiness {
        enabled  = true
        duration = 60
      }
    }
  }
  default_action {
    type = "fixed-response"
    fixed_response = {
      content_type = "text/plain"
    }
  }
}

resource "aws_ecs_service" "api" {
  name = "api"
  network_configuration {
    security_groups  = []
    assign_public_ip = true
    public { }
  }
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  deployment_circuit_breaker {
    enable   = false
    rollback = false
  }
  load_balancer {
    container_nme    = "api"
    container_port   = 8080
    target_group_arn = "blue"
  }
  dynamic "capacity_provider_strategy" {
    for_each = var.ports
    content {
      base = 1
    }
  }
  timeouts {
    create = "10m"
  }
  timeouts {
    delete = "10m"
  }
}

resource "aws_launch_template" "node" {
  network_interfaces {
    associate_public_ip_adress = true
    security_groups            = ["sg-0123456789abcdef0"]
  }
}

resource "aws_ecs_task_definition" "api" {
  family                = "api"
  container_definitions = "[]"
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_arch                = "ARM64"
  }
  volume {
    name = "data"
    efs_volume_configuration {
      file_system_id = "fs-12345678"
      authorization_config {
        iam = "ENABLED"
      }
    }
  }
  volume {
    efs_volume_configuration {
      file_system_id = "fs-12345678"
    }
  }
}
