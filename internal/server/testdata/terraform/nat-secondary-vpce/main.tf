# Round thirty-four (docs/terraform-acceptance.md): a NAT gateway's secondary
# addresses and an interface endpoint's fixed addresses, written for ecsnet
# after the provider's TestAccVPCNATGateway_secondaryPrivateIPv4Addresses,
# _secondaryPrivateIPv4AddressCount, _secondaryAllocationIDs and
# TestAccVPCEndpoint_interfaceUserDefinedIPv4 (what they exercise, not their
# code): each was refused UnsupportedOperation before.
provider "aws" {
  region = "us-west-2"
}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = data.aws_availability_zones.available.names[0]
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.2.0/24"
  availability_zone = data.aws_availability_zones.available.names[1]
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_eip" "primary" {
  domain = "vpc"
}

resource "aws_eip" "secondary" {
  domain = "vpc"
}

resource "aws_nat_gateway" "public" {
  allocation_id                  = aws_eip.primary.id
  subnet_id                      = aws_subnet.a.id
  secondary_allocation_ids       = [aws_eip.secondary.id]
  secondary_private_ip_addresses = ["10.20.1.20"]
  depends_on                     = [aws_internet_gateway.igw]
}

resource "aws_nat_gateway" "private_fixed" {
  connectivity_type              = "private"
  subnet_id                      = aws_subnet.b.id
  private_ip                     = "10.20.2.10"
  secondary_private_ip_addresses = ["10.20.2.11", "10.20.2.12"]
}

resource "aws_nat_gateway" "private_count" {
  connectivity_type                  = "private"
  subnet_id                          = aws_subnet.a.id
  secondary_private_ip_address_count = 3
}

resource "aws_security_group" "vpce" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}

resource "aws_vpc_endpoint" "ecr" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-west-2.ecr.api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.vpce.id]
  subnet_ids          = [aws_subnet.a.id, aws_subnet.b.id]

  subnet_configuration {
    subnet_id = aws_subnet.a.id
    ipv4      = "10.20.1.100"
  }
  subnet_configuration {
    subnet_id = aws_subnet.b.id
    ipv4      = "10.20.2.100"
  }
}

output "public_addresses" {
  value = aws_nat_gateway.public.secondary_private_ip_addresses
}
output "count_addresses" {
  value = aws_nat_gateway.private_count.secondary_private_ip_addresses
}
output "vpce_enis" {
  value = aws_vpc_endpoint.ecr.subnet_configuration
}
