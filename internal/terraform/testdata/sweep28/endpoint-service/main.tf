provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.50.0.0/16"
}

# Meant as an interface endpoint for ECR, written as an endpoint service.
resource "aws_vpc_endpoint_service" "ecr" {
  acceptance_required = false
  service_name        = "com.amazonaws.eu-west-1.ecr.dkr"
  vpc_id              = aws_vpc.main.id
  private_dns_enabled = true
}
