resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_service_discovery_private_dns_namespace" "internal" {
  name = "corp.local"
  vpc  = aws_vpc.main.id
}

resource "aws_service_discovery_http_namespace" "apis" {
  name        = "apis"
  description = "API-only discovery"
}

resource "aws_service_discovery_public_dns_namespace" "public" {
  name = "example.com"
}

resource "aws_service_discovery_service" "billing" {
  name         = "billing"
  namespace_id = aws_service_discovery_http_namespace.apis.id
}

output "http_name" {
  value = aws_service_discovery_http_namespace.apis.http_name
}
