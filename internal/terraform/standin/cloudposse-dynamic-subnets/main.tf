# ecsnet's stand-in for cloudposse/dynamic-subnets/aws (v2, and v0's
# string igw_id and cidr_block), used when `terraform init` has not
# installed it: a public and a private subnet per zone, carved from the
# block as v2 carves them (the region's zone count, or max_subnet_count,
# twice: private first, then public), public route tables to the internet
# gateway, NAT gateways (nat_gateway_enabled, at most max_nats) and
# private route tables to them. NAT instances are not made. Other
# arguments are ignored, with a warning.

variable "vpc_id" {}
variable "igw_id" { default = [] }
variable "ipv4_cidr_block" { default = [] }
variable "cidr_block" { default = null }
variable "availability_zones" { default = [] }
variable "max_subnet_count" { default = 0 }
variable "nat_gateway_enabled" { default = true }
variable "nat_instance_enabled" { default = false }
variable "max_nats" { default = 999 }
variable "public_subnets_enabled" { default = true }
variable "private_subnets_enabled" { default = true }
variable "map_public_ip_on_launch" { default = true }

data "aws_availability_zones" "default" {
  state = "available"
}

locals {
  enabled        = local.label_enabled
  azs            = length(var.availability_zones) > 0 ? var.availability_zones : data.aws_availability_zones.default.names
  base           = try(var.ipv4_cidr_block[0], var.cidr_block)
  igw            = try(var.igw_id[0], var.igw_id)
  possible       = var.max_subnet_count > 0 ? var.max_subnet_count : length(data.aws_availability_zones.default.names)
  bits           = ceil(log(local.possible * 2, 2))
  private_cidrs  = [for i in range(local.possible) : cidrsubnet(local.base, local.bits, i)]
  public_cidrs   = [for i in range(local.possible) : cidrsubnet(local.base, local.bits, i + local.possible)]
  public_count   = local.enabled && var.public_subnets_enabled ? length(local.azs) : 0
  private_count  = local.enabled && var.private_subnets_enabled ? length(local.azs) : 0
  nat_count      = local.enabled && var.nat_gateway_enabled && local.public_count > 0 ? min(length(local.azs), var.max_nats) : 0
}

resource "aws_subnet" "public" {
  count                   = local.public_count
  vpc_id                  = var.vpc_id
  availability_zone       = local.azs[count.index]
  cidr_block              = local.public_cidrs[count.index]
  map_public_ip_on_launch = var.map_public_ip_on_launch
  tags                    = merge(local.label_tags, { Name = "${local.label_id}-public-${local.azs[count.index]}" })
}

resource "aws_route_table" "public" {
  count  = local.public_count > 0 ? 1 : 0
  vpc_id = var.vpc_id
  tags   = merge(local.label_tags, { Name = "${local.label_id}-public" })
}

resource "aws_route" "public" {
  count                  = local.public_count > 0 ? 1 : 0
  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = local.igw
}

resource "aws_route_table_association" "public" {
  count          = local.public_count
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_subnet" "private" {
  count             = local.private_count
  vpc_id            = var.vpc_id
  availability_zone = local.azs[count.index]
  cidr_block        = local.private_cidrs[count.index]
  tags              = merge(local.label_tags, { Name = "${local.label_id}-private-${local.azs[count.index]}" })
}

resource "aws_eip" "default" {
  count  = local.nat_count
  domain = "vpc"
  tags   = merge(local.label_tags, { Name = "${local.label_id}-${local.azs[count.index]}" })
}

resource "aws_nat_gateway" "default" {
  count         = local.nat_count
  allocation_id = aws_eip.default[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
  tags          = merge(local.label_tags, { Name = "${local.label_id}-${local.azs[count.index]}" })
}

resource "aws_route_table" "private" {
  count  = local.private_count
  vpc_id = var.vpc_id
  tags   = merge(local.label_tags, { Name = "${local.label_id}-private-${local.azs[count.index]}" })
}

resource "aws_route" "nat4" {
  count                  = local.nat_count > 0 ? local.private_count : 0
  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.default[count.index % local.nat_count].id
}

resource "aws_route_table_association" "private" {
  count          = local.private_count
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

output "availability_zones" { value = local.azs }
output "public_subnet_ids" { value = aws_subnet.public[*].id }
output "public_subnet_cidrs" { value = aws_subnet.public[*].cidr_block }
output "private_subnet_ids" { value = aws_subnet.private[*].id }
output "private_subnet_cidrs" { value = aws_subnet.private[*].cidr_block }
output "public_route_table_ids" { value = aws_route_table.public[*].id }
output "private_route_table_ids" { value = aws_route_table.private[*].id }
output "nat_gateway_ids" { value = aws_nat_gateway.default[*].id }
output "nat_ips" { value = aws_eip.default[*].public_ip }
