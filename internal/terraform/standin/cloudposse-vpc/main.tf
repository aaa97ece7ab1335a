# ecsnet's stand-in for cloudposse/vpc/aws (v1 and v2), used when
# `terraform init` has not installed it: the VPC named after the label,
# its internet gateway, and its default security group without rules
# (default_security_group_deny_all). Other arguments are ignored, with a
# warning.

variable "ipv4_primary_cidr_block" { default = null }
variable "cidr_block" { default = null }
variable "internet_gateway_enabled" { default = true }
variable "dns_hostnames_enabled" { default = true }
variable "dns_support_enabled" { default = true }
variable "instance_tenancy" { default = "default" }
variable "default_security_group_deny_all" { default = true }

resource "aws_vpc" "default" {
  count                = local.label_enabled ? 1 : 0
  cidr_block           = coalesce(var.ipv4_primary_cidr_block, var.cidr_block)
  instance_tenancy     = var.instance_tenancy
  enable_dns_hostnames = var.dns_hostnames_enabled
  enable_dns_support   = var.dns_support_enabled
  tags                 = local.label_tags
}

resource "aws_default_security_group" "default" {
  count  = local.label_enabled && var.default_security_group_deny_all ? 1 : 0
  vpc_id = aws_vpc.default[0].id
  tags   = merge(local.label_tags, { Name = "Default Security Group" })
}

resource "aws_internet_gateway" "default" {
  count  = local.label_enabled && var.internet_gateway_enabled ? 1 : 0
  vpc_id = aws_vpc.default[0].id
  tags   = local.label_tags
}

output "vpc_id" { value = try(aws_vpc.default[0].id, "") }
output "vpc_arn" { value = try(aws_vpc.default[0].arn, "") }
output "vpc_cidr_block" { value = try(aws_vpc.default[0].cidr_block, "") }
output "igw_id" { value = try(aws_internet_gateway.default[0].id, "") }
output "vpc_default_security_group_id" { value = try(aws_vpc.default[0].default_security_group_id, "") }
output "vpc_main_route_table_id" { value = try(aws_vpc.default[0].main_route_table_id, "") }
output "vpc_default_route_table_id" { value = try(aws_vpc.default[0].default_route_table_id, "") }
output "vpc_default_network_acl_id" { value = try(aws_vpc.default[0].default_network_acl_id, "") }
