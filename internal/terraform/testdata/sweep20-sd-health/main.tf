# After a public single-file Fargate configuration with an OpenTelemetry
# sidecar (code-index file id 58260290919; the index names no
# repository): a Cloud Map service with health_check_custom_config, the
# form ECS services use.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "principal" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_hostnames = true
  enable_dns_support   = true
}

resource "aws_service_discovery_private_dns_namespace" "interno" {
  name = "otel-demo.local"
  vpc  = aws_vpc.principal.id
}

resource "aws_service_discovery_service" "service_b" {
  name = "service-b"

  dns_config {
    namespace_id = aws_service_discovery_private_dns_namespace.interno.id
    dns_records {
      ttl  = 10
      type = "A"
    }
  }

  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_service_discovery_service" "checked" {
  count = var.route53_check ? 1 : 0
  name  = "checked"

  dns_config {
    namespace_id = aws_service_discovery_private_dns_namespace.interno.id
    dns_records {
      ttl  = 10
      type = "A"
    }
  }

  health_check_config {
    type          = "HTTP"
    resource_path = "/health"
  }
}

variable "route53_check" {
  default = false
}
