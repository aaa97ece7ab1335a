# Round thirty-five (written for ecsnet): DNS64 on a subnet without an IPv6
# block, which EC2 refuses at the provider's ModifySubnetAttribute after
# CreateSubnet (terraform-aws-modules/terraform-aws-vpc#1194); and a subnet
# with neither cidr_block nor ipv6_native, which EC2 refuses too.
provider "aws" { region = "us-east-1" }

resource "aws_vpc" "main" {
  cidr_block = "10.41.0.0/16"
}

resource "aws_subnet" "dns64" {
  vpc_id       = aws_vpc.main.id
  cidr_block   = "10.41.0.0/24"
  enable_dns64 = true
}

resource "aws_subnet" "nothing" {
  vpc_id = aws_vpc.main.id
}
