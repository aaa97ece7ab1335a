# ecsnet's stand-in for the registry module
# terraform-aws-modules/vpc/aws//modules/vpc-endpoints, used when
# `terraform init` has not installed it. Written for ecsnet: it makes the
# endpoints of the `endpoints` map (Interface by default, in the module's
# subnets and security groups and each endpoint's own; Gateway on its
# route tables) and, with create_security_group, the module's group and its
# rules (tcp/443 ingress unless a rule says otherwise). The service name is
# com.amazonaws.<region>.<service> unless service_name is given, as the
# module's aws_vpc_endpoint_service data source finds it for AWS services.
# Other arguments are ignored, with a warning.

variable "create" { default = true }
variable "vpc_id" { default = null }
variable "endpoints" { default = {} }
variable "security_group_ids" { default = [] }
variable "subnet_ids" { default = [] }
variable "tags" { default = {} }
variable "timeouts" { default = {} }
variable "create_security_group" { default = false }
variable "security_group_name" { default = null }
variable "security_group_name_prefix" { default = null }
variable "security_group_description" { default = null }
variable "security_group_rules" { default = {} }
variable "security_group_tags" { default = {} }

data "aws_region" "current" {}

locals {
  create_sg          = var.create && var.create_security_group
  security_group_ids = local.create_sg ? concat(var.security_group_ids, [aws_security_group.this[0].id]) : var.security_group_ids
  endpoints          = { for k, v in var.endpoints : k => v if var.create && try(v.create, true) }
}

resource "aws_security_group" "this" {
  count       = local.create_sg ? 1 : 0
  name        = var.security_group_name
  name_prefix = var.security_group_name_prefix
  description = var.security_group_description
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, var.security_group_tags, { "Name" = try(coalesce(var.security_group_name, var.security_group_name_prefix), "") })
}

resource "aws_security_group_rule" "this" {
  for_each                 = { for k, v in var.security_group_rules : k => v if local.create_sg }
  security_group_id        = aws_security_group.this[0].id
  protocol                 = try(each.value.protocol, "tcp")
  from_port                = try(each.value.from_port, 443)
  to_port                  = try(each.value.to_port, 443)
  type                     = try(each.value.type, "ingress")
  description              = try(each.value.description, null)
  cidr_blocks              = lookup(each.value, "cidr_blocks", null)
  ipv6_cidr_blocks         = lookup(each.value, "ipv6_cidr_blocks", null)
  prefix_list_ids          = lookup(each.value, "prefix_list_ids", null)
  self                     = try(each.value.self, null)
  source_security_group_id = lookup(each.value, "source_security_group_id", null)
}

resource "aws_vpc_endpoint" "this" {
  for_each            = local.endpoints
  vpc_id              = var.vpc_id
  service_name        = try(each.value.service_name, null) != null ? each.value.service_name : "com.amazonaws.${data.aws_region.current.name}.${each.value.service}"
  vpc_endpoint_type   = try(each.value.service_type, "Interface")
  security_group_ids  = try(each.value.service_type, "Interface") == "Interface" ? distinct(concat(local.security_group_ids, try(each.value.security_group_ids, []))) : null
  subnet_ids          = try(each.value.service_type, "Interface") == "Interface" ? distinct(concat(var.subnet_ids, try(each.value.subnet_ids, []))) : null
  route_table_ids     = try(each.value.service_type, "Interface") == "Gateway" ? try(each.value.route_table_ids, null) : null
  policy              = try(each.value.policy, null)
  private_dns_enabled = try(each.value.service_type, "Interface") == "Interface" ? try(each.value.private_dns_enabled, null) : null
  tags                = merge(var.tags, try(each.value.tags, {}))
}

output "endpoints" { value = aws_vpc_endpoint.this }
output "security_group_arn" { value = try(aws_security_group.this[0].arn, null) }
output "security_group_id" { value = try(aws_security_group.this[0].id, null) }
output "dns_names" { value = { for k, v in aws_vpc_endpoint.this : k => try(v.dns_entry, []) } }
