# Written for round thirty-eight: each.value in terraform plan's view. A
# for_each map keyed statically whose values are ids (known only after
# apply) passes those values on unknown: a count that depends on each.value
# is refused; one that depends on each.key, or on a value the configuration
# gives, is planned.

provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

# Refused: each.value is the VPC's id, unknown at plan.
module "bad_each_value" {
  source   = "./modules/sg"
  for_each = { main = aws_vpc.main.id }
  vpc_id   = each.value
  name     = "value-${each.key}"
}

# Planned: the same map, each.key only.
module "ok_each_key" {
  source   = "./modules/sg"
  for_each = { main = aws_vpc.main.id }
  vpc_id   = aws_vpc.main.id
  name     = "key-${each.key}"
  create   = each.key == "main"
}

# Planned: the values are the configuration's own.
module "ok_static_value" {
  source   = "./modules/sg"
  for_each = { main = "10.0.0.0/16" }
  vpc_id   = aws_vpc.main.id
  name     = "static-${each.key}"
  create   = each.value != ""
}

# Refused: a resource's count reading each.value of its own for_each is not
# allowed, so a security group per id with a rule counted on each.value.
resource "aws_security_group" "per_vpc" {
  for_each = { main = aws_vpc.main.id }
  name     = "per-vpc-${each.key}"
  vpc_id   = each.value
}

resource "aws_vpc_security_group_ingress_rule" "bad_attr" {
  count             = aws_security_group.per_vpc["main"].vpc_id == null ? 0 : 1
  security_group_id = aws_security_group.per_vpc["main"].id
  cidr_ipv4         = "10.0.0.0/16"
  ip_protocol       = "-1"
}
