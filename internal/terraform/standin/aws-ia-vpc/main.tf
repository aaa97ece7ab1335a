# ecsnet's stand-in for the registry module aws-ia/vpc/aws, used when
# `terraform init` has not installed it. Written for ecsnet: the VPC, its
# zones (azs, else the first az_count of the region's), a subnet per zone
# for each entry of `subnets` (cidrs, else carved from cidr_block by
# netmask in the order of the entries' names, then of the zones), an
# internet gateway and public route tables for `public`, NAT gateways
# (nat_gateway_configuration all_azs, single_az or none) and a route
# table per private type and zone with a default route to the zone's NAT
# gateway when connect_to_public_natgw (route_to_nat before v3). Transit
# gateway and Cloud WAN subnets and an existing vpc_id are not made;
# other arguments are ignored, with a warning.

variable "name" {}
variable "cidr_block" { default = null }
variable "az_count" {}
variable "azs" { default = null }
variable "subnets" { default = {} }
variable "vpc_enable_dns_hostnames" { default = true }
variable "vpc_enable_dns_support" { default = true }
variable "vpc_instance_tenancy" { default = "default" }
variable "tags" { default = {} }

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  azs            = var.azs != null ? slice(var.azs, 0, var.az_count) : slice(data.aws_availability_zones.available.names, 0, var.az_count)
  private_types  = sort([for k, v in var.subnets : k if !contains(["public", "transit_gateway", "core_network"], k)])
  types          = sort([for k, v in var.subnets : k if !contains(["transit_gateway", "core_network"], k)])
  vpc_bits       = tonumber(split("/", var.cidr_block)[1])
  netmask_pairs  = flatten([for t in local.types : [for az in local.azs : { key = "${t}/${az}", bits = try(var.subnets[t].netmask, 0) - local.vpc_bits }] if try(var.subnets[t].cidrs, null) == null])
  carved         = length(local.netmask_pairs) > 0 ? zipmap([for p in local.netmask_pairs : p.key], cidrsubnets(var.cidr_block, [for p in local.netmask_pairs : p.bits]...)) : {}
  cidr           = { for t in local.types : t => { for i, az in local.azs : az => try(var.subnets[t].cidrs[i], local.carved["${t}/${az}"]) } }
  public         = contains(keys(var.subnets), "public")
  nat_mode       = try(var.subnets.public.nat_gateway_configuration, "none")
  nat_azs        = local.public ? (local.nat_mode == "all_azs" ? local.azs : local.nat_mode == "single_az" ? [local.azs[0]] : []) : []
  private_pairs  = { for p in flatten([for t in local.private_types : [for az in local.azs : { type = t, az = az }]]) : "${p.type}/${p.az}" => p }
  private_to_nat = { for k, p in local.private_pairs : k => p if length(local.nat_azs) > 0 && (try(var.subnets[p.type].connect_to_public_natgw, false) || try(var.subnets[p.type].route_to_nat, false)) }
}

resource "aws_vpc" "main" {
  cidr_block           = var.cidr_block
  enable_dns_hostnames = var.vpc_enable_dns_hostnames
  enable_dns_support   = var.vpc_enable_dns_support
  instance_tenancy     = var.vpc_instance_tenancy
  tags                 = merge(var.tags, { Name = var.name })
}

resource "aws_internet_gateway" "main" {
  count  = local.public ? 1 : 0
  vpc_id = aws_vpc.main.id
  tags   = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  for_each                = toset(local.public ? local.azs : [])
  vpc_id                  = aws_vpc.main.id
  cidr_block              = local.cidr.public[each.key]
  availability_zone       = each.key
  map_public_ip_on_launch = try(var.subnets.public.map_public_ip_on_launch, false)
  tags                    = merge(var.tags, { Name = "${try(var.subnets.public.name_prefix, "public")}-${each.key}" })
}

resource "aws_route_table" "public" {
  for_each = aws_subnet.public
  vpc_id   = aws_vpc.main.id
  tags     = merge(var.tags, { Name = "${try(var.subnets.public.name_prefix, "public")}-${each.key}" })
}

resource "aws_route_table_association" "public" {
  for_each       = aws_subnet.public
  subnet_id      = each.value.id
  route_table_id = aws_route_table.public[each.key].id
}

resource "aws_route" "public_to_igw" {
  for_each               = aws_route_table.public
  route_table_id         = each.value.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.main[0].id
}

resource "aws_eip" "nat" {
  for_each = toset(local.nat_azs)
  domain   = "vpc"
  tags     = merge(var.tags, { Name = "nat-${var.name}-${each.key}" })
}

resource "aws_nat_gateway" "main" {
  for_each      = toset(local.nat_azs)
  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.public[each.key].id
  tags          = merge(var.tags, { Name = "nat-${var.name}-${each.key}" })
  depends_on    = [aws_internet_gateway.main]
}

resource "aws_subnet" "private" {
  for_each          = local.private_pairs
  vpc_id            = aws_vpc.main.id
  cidr_block        = local.cidr[each.value.type][each.value.az]
  availability_zone = each.value.az
  tags              = merge(var.tags, { Name = "${try(var.subnets[each.value.type].name_prefix, each.value.type)}-${each.value.az}" })
}

resource "aws_route_table" "private" {
  for_each = local.private_pairs
  vpc_id   = aws_vpc.main.id
  tags     = merge(var.tags, { Name = "${try(var.subnets[each.value.type].name_prefix, each.value.type)}-${each.value.az}" })
}

resource "aws_route_table_association" "private" {
  for_each       = local.private_pairs
  subnet_id      = aws_subnet.private[each.key].id
  route_table_id = aws_route_table.private[each.key].id
}

resource "aws_route" "private_to_nat" {
  for_each               = local.private_to_nat
  route_table_id         = aws_route_table.private[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = contains(local.nat_azs, each.value.az) ? aws_nat_gateway.main[each.value.az].id : aws_nat_gateway.main[local.nat_azs[0]].id
}

output "vpc_attributes" { value = aws_vpc.main }
output "azs" { value = local.azs }
output "public_subnet_attributes_by_az" { value = aws_subnet.public }
output "private_subnet_attributes_by_az" { value = aws_subnet.private }
output "nat_gateway_attributes_by_az" { value = aws_nat_gateway.main }
output "natgw_id_per_az" { value = { for az in local.azs : az => { id = try(aws_nat_gateway.main[az].id, aws_nat_gateway.main[local.nat_azs[0]].id, null) } } }
output "rt_attributes_by_type_by_az" {
  value = {
    public  = aws_route_table.public
    private = aws_route_table.private
  }
}
output "transit_gateway_attachment_id" { value = null }
