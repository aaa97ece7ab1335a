# Round thirty-seven (ecsnet's own): count and for_each as terraform plan
# sees them before a first apply. The ids and ARNs AWS assigns are known
# only after apply, so terraform 1.11.4 with hashicorp/aws 5.100.0 refuses
# the "bad_" resources below at plan ("Invalid count argument", "Invalid
# for_each argument") and plans the "ok_" ones: a count of a list of
# unknown ids is known (its length is), a map keyed by the configuration's
# own values is known whatever its values.
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [aws_vpc.main.id]
  }
}

# Known at plan.
resource "aws_route_table" "ok_length" {
  count  = length(aws_subnet.private[*].id)
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "ok_configured" {
  count  = aws_vpc.main.cidr_block == "10.0.0.0/16" ? 1 : 0
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "ok_static_keys" {
  for_each       = { for i, s in aws_subnet.private : "private-${i}" => s.id }
  subnet_id      = each.value
  route_table_id = aws_route_table.ok_length[0].id
}

resource "aws_security_group" "ok_zones" {
  count  = length(data.aws_availability_zones.available.names) > 0 ? 1 : 0
  vpc_id = aws_vpc.main.id
}

module "ok_module" {
  source = "./modules/opt"
  create = true
  vpc_id = aws_vpc.main.id
}

# Known only after apply.
resource "aws_route_table" "bad_joined" {
  count  = length(split(",", join(",", aws_subnet.private[*].id)))
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "bad_id_null" {
  count  = aws_vpc.main.id == null ? 0 : 1
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "bad_set" {
  for_each = toset(aws_subnet.private[*].id)
  vpc_id   = aws_vpc.main.id
}

resource "aws_route_table" "bad_keys" {
  for_each = { for s in aws_subnet.private : s.id => s.cidr_block }
  vpc_id   = aws_vpc.main.id
}

resource "aws_route_table" "bad_data" {
  count  = length(data.aws_subnets.private.ids)
  vpc_id = aws_vpc.main.id
}

module "bad_module" {
  source = "./modules/opt"
  create = aws_vpc.main.id != ""
  vpc_id = aws_vpc.main.id
}

module "bad_module_count" {
  source = "./modules/opt"
  count  = length(compact(aws_subnet.private[*].id))
  create = true
  vpc_id = aws_vpc.main.id
}
