# Written for round thirty-nine: a replacement makes an id unknown again.
# With the local state of an earlier apply (tf39-replace-state.json,
# written by terraform 1.11.4 and hashicorp/aws 5.100.0 against ecsnet
# serve), the VPC's id is known at plan; a new cidr_block replaces the VPC
# (cidr_block forces replacement), its id is known only after apply, and
# so is the group's vpc_id (which forces the group's replacement too):
# terraform plan -var cidr=10.1.0.0/16 refuses the count at line 32 and
# the for_each at line 40 and the count at line 58, and plans the rest.
provider "aws" {
  region = "us-east-1"
}

variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}

resource "aws_vpc" "main" {
  cidr_block = var.cidr
}

# A group per VPC id: replaced with the VPC (vpc_id forces replacement).
resource "aws_security_group" "per_vpc" {
  for_each = { main = aws_vpc.main.id }
  name     = "per-vpc-${each.key}"
  vpc_id   = each.value
}

# Counted on the group's vpc_id: known while the VPC stays, unknown when
# a new cidr_block replaces it.
resource "aws_vpc_security_group_ingress_rule" "by_vpc" {
  count             = aws_security_group.per_vpc["main"].vpc_id == null ? 0 : 1
  security_group_id = aws_security_group.per_vpc["main"].id
  cidr_ipv4         = "10.0.0.0/16"
  ip_protocol       = "-1"
}

# A set of the VPC's id: known while it stays.
resource "aws_route_table" "per_vpc" {
  for_each = toset([aws_vpc.main.id])
  vpc_id   = each.value
}

# Unaffected: the subnet's own name tag, not the VPC's id.
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(var.cidr, 8, 1)
}
resource "aws_network_acl" "static" {
  count  = length(["a"])
  vpc_id = aws_vpc.main.id
}

# Counted on the subnet's id: known while the subnet stays (its vpc_id,
# an id AWS gave, is the state's), unknown when the new cidr_block
# replaces it.
resource "aws_network_acl" "by_subnet" {
  count  = aws_subnet.a.id == null ? 0 : 1
  vpc_id = aws_vpc.main.id
}
