# Round thirty-five (written for ecsnet, after the IPv6-only subnets of the
# public configurations in docs/terraform-acceptance.md): a dual-stack VPC,
# an IPv6-only subnet (ipv6_native, no cidr_block) with DNS64 and AAAA
# records of resource names, routed to an egress-only internet gateway and
# a NAT gateway's 64:ff9b::/96, beside a dual-stack subnet.
provider "aws" { region = "us-east-1" }

resource "aws_vpc" "main" {
  cidr_block                       = "10.40.0.0/16"
  assign_generated_ipv6_cidr_block = true
  enable_dns_hostnames             = true
}

resource "aws_subnet" "v6only" {
  vpc_id                                         = aws_vpc.main.id
  availability_zone                              = "us-east-1a"
  ipv6_native                                    = true
  ipv6_cidr_block                                = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation                = true
  enable_dns64                                   = true
  enable_resource_name_dns_aaaa_record_on_launch = true
  private_dns_hostname_type_on_launch            = "resource-name"
}

resource "aws_subnet" "dual" {
  vpc_id                          = aws_vpc.main.id
  availability_zone               = "us-east-1b"
  cidr_block                      = "10.40.1.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 2)
  assign_ipv6_address_on_creation = true
}

resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "v6only" {
  vpc_id = aws_vpc.main.id
  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.eigw.id
  }
}

resource "aws_route_table_association" "v6only" {
  subnet_id      = aws_subnet.v6only.id
  route_table_id = aws_route_table.v6only.id
}

output "v6only_cidr_block" { value = aws_subnet.v6only.cidr_block }
output "v6only_native" { value = aws_subnet.v6only.ipv6_native }
output "v6only_hostname_type" { value = aws_subnet.v6only.private_dns_hostname_type_on_launch }
output "dual_native" { value = aws_subnet.dual.ipv6_native }
