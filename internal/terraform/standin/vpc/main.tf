# ecsnet's stand-in for the registry module terraform-aws-modules/vpc/aws,
# used when `terraform init` has not installed it. It is written for ecsnet
# (not the module's code) and builds what the module builds for the
# arguments that shape the network: the VPC, an internet gateway, public,
# private, database and intra subnets per zone, NAT gateways (one, one per
# zone, or one per private subnet), their route tables, and the default
# security group the module manages (no rules unless given). Other
# arguments are ignored, with a warning.

variable "create_vpc" { default = true }
# The lists of subnets and zones are list(string) as the module declares
# them: a set given (a variable of type set(string)) is converted, sorted.
variable "name" { default = "" }
variable "cidr" { default = "10.0.0.0/16" }
variable "azs" {
  type    = list(string)
  default = []
}
variable "public_subnets" {
  type    = list(string)
  default = []
}
variable "private_subnets" {
  type    = list(string)
  default = []
}
variable "database_subnets" {
  type    = list(string)
  default = []
}
variable "intra_subnets" {
  type    = list(string)
  default = []
}
variable "public_subnet_names" {
  type    = list(string)
  default = []
}
variable "private_subnet_names" {
  type    = list(string)
  default = []
}
variable "database_subnet_names" {
  type    = list(string)
  default = []
}
variable "intra_subnet_names" {
  type    = list(string)
  default = []
}
variable "public_subnet_suffix" { default = "public" }
variable "private_subnet_suffix" { default = "private" }
variable "database_subnet_suffix" { default = "db" }
variable "intra_subnet_suffix" { default = "intra" }
variable "create_igw" { default = true }
variable "enable_nat_gateway" { default = false }
variable "single_nat_gateway" { default = false }
variable "one_nat_gateway_per_az" { default = false }
# Elastic IPs the caller allocated for the NAT gateways (reuse_nat_ips):
# the module then makes none of its own.
variable "reuse_nat_ips" { default = false }
variable "external_nat_ip_ids" { default = [] }
variable "external_nat_ips" { default = [] }
variable "enable_dns_hostnames" { default = null }
variable "enable_dns_support" { default = true }
variable "map_public_ip_on_launch" { default = null }
variable "create_database_subnet_route_table" { default = false }
variable "create_database_internet_gateway_route" { default = false }
variable "create_database_nat_gateway_route" { default = false }
variable "create_database_subnet_group" { default = true }
variable "database_subnet_group_name" { default = null }
# These three default (null) as the module's version does: v4.0 changed
# map_public_ip_on_launch to false, enable_dns_hostnames to true and
# manage_default_security_group to true (its docs/UPGRADE-4.0.md); a call
# pinning v3 or earlier gets the old ones. ecsnet_module_major is the
# major version the call's version argument pins (0: none, the newest).
variable "manage_default_security_group" { default = null }
variable "ecsnet_module_major" { default = 0 }
variable "default_security_group_ingress" { default = [] }
variable "default_security_group_egress" { default = [] }
variable "enable_ipv6" { default = false }
variable "create_egress_only_igw" { default = true }
variable "public_subnet_ipv6_prefixes" { default = [] }
variable "private_subnet_ipv6_prefixes" { default = [] }
variable "database_subnet_ipv6_prefixes" { default = [] }
variable "intra_subnet_ipv6_prefixes" { default = [] }
variable "public_subnet_assign_ipv6_address_on_creation" { default = false }
variable "private_subnet_assign_ipv6_address_on_creation" { default = false }
variable "database_subnet_assign_ipv6_address_on_creation" { default = false }
variable "intra_subnet_assign_ipv6_address_on_creation" { default = false }
# IPv6-only subnets and the subnets' DNS settings, per tier, with the
# module's defaults (DNS64 and AAAA records of resource names on whenever
# enable_ipv6 is; terraform-aws-modules/terraform-aws-vpc#1194 is the
# refusal of DNS64 on a subnet given no IPv6 prefix).
variable "public_subnet_ipv6_native" { default = false }
variable "private_subnet_ipv6_native" { default = false }
variable "database_subnet_ipv6_native" { default = false }
variable "intra_subnet_ipv6_native" { default = false }
variable "public_subnet_enable_dns64" { default = true }
variable "private_subnet_enable_dns64" { default = true }
variable "database_subnet_enable_dns64" { default = true }
variable "intra_subnet_enable_dns64" { default = true }
variable "public_subnet_enable_resource_name_dns_aaaa_record_on_launch" { default = true }
variable "private_subnet_enable_resource_name_dns_aaaa_record_on_launch" { default = true }
variable "database_subnet_enable_resource_name_dns_aaaa_record_on_launch" { default = true }
variable "intra_subnet_enable_resource_name_dns_aaaa_record_on_launch" { default = true }
variable "public_subnet_enable_resource_name_dns_a_record_on_launch" { default = false }
variable "private_subnet_enable_resource_name_dns_a_record_on_launch" { default = false }
variable "database_subnet_enable_resource_name_dns_a_record_on_launch" { default = false }
variable "intra_subnet_enable_resource_name_dns_a_record_on_launch" { default = false }
variable "public_subnet_private_dns_hostname_type_on_launch" { default = null }
variable "private_subnet_private_dns_hostname_type_on_launch" { default = null }
variable "database_subnet_private_dns_hostname_type_on_launch" { default = null }
variable "intra_subnet_private_dns_hostname_type_on_launch" { default = null }
# The default network ACL and route table the module adopts (v4.0 and
# later manage both unless told not to, its docs/UPGRADE-4.0.md; v3 only
# when asked): the ACL's allow-all entries, the table's routes, their
# names and tags.
variable "manage_default_network_acl" { default = null }
variable "default_network_acl_name" { default = null }
variable "default_network_acl_tags" { default = {} }
variable "default_network_acl_ingress" {
  default = [
    { rule_no = 100, action = "allow", from_port = 0, to_port = 0, protocol = "-1", cidr_block = "0.0.0.0/0" },
    { rule_no = 101, action = "allow", from_port = 0, to_port = 0, protocol = "-1", ipv6_cidr_block = "::/0" },
  ]
}
variable "default_network_acl_egress" {
  default = [
    { rule_no = 100, action = "allow", from_port = 0, to_port = 0, protocol = "-1", cidr_block = "0.0.0.0/0" },
    { rule_no = 101, action = "allow", from_port = 0, to_port = 0, protocol = "-1", ipv6_cidr_block = "::/0" },
  ]
}
variable "manage_default_route_table" { default = null }
variable "default_route_table_name" { default = null }
variable "default_route_table_tags" { default = {} }
variable "default_route_table_routes" { default = [] }
variable "default_security_group_name" { default = null }
variable "default_security_group_tags" { default = {} }
# VPC flow logs to the destination the call gives (a flow log to the
# module's own log group, create_flow_log_cloudwatch_log_group, is not
# made: that argument is said ignored).
variable "enable_flow_log" { default = false }
variable "flow_log_destination_type" { default = "cloud-watch-logs" }
variable "flow_log_destination_arn" { default = "" }
variable "flow_log_cloudwatch_iam_role_arn" { default = "" }
variable "flow_log_traffic_type" { default = "ALL" }
variable "flow_log_max_aggregation_interval" { default = 600 }
variable "flow_log_log_format" { default = null }
variable "vpc_flow_log_tags" { default = {} }
variable "tags" { default = {} }
variable "vpc_tags" { default = {} }
variable "igw_tags" { default = {} }
variable "nat_gateway_tags" { default = {} }
variable "public_subnet_tags" { default = {} }
variable "private_subnet_tags" { default = {} }
variable "database_subnet_tags" { default = {} }
variable "intra_subnet_tags" { default = {} }
variable "public_route_table_tags" { default = {} }
variable "private_route_table_tags" { default = {} }

locals {
  v3                   = var.ecsnet_module_major > 0 && var.ecsnet_module_major < 4
  manage_default_sg    = coalesce(var.manage_default_security_group, !local.v3)
  manage_default_acl   = coalesce(var.manage_default_network_acl, !local.v3)
  manage_default_rt    = coalesce(var.manage_default_route_table, !local.v3)
  enable_dns_hostnames = coalesce(var.enable_dns_hostnames, !local.v3)
  map_public_ip        = coalesce(var.map_public_ip_on_launch, local.v3)
  create         = var.create_vpc
  len_public     = local.create ? max(length(var.public_subnets), length(var.public_subnet_ipv6_prefixes)) : 0
  len_private    = local.create ? max(length(var.private_subnets), length(var.private_subnet_ipv6_prefixes)) : 0
  len_database   = local.create ? max(length(var.database_subnets), length(var.database_subnet_ipv6_prefixes)) : 0
  len_intra      = local.create ? max(length(var.intra_subnets), length(var.intra_subnet_ipv6_prefixes)) : 0
  max_subnet_len = max(local.len_private, local.len_database)
  nat_count      = var.single_nat_gateway ? 1 : (var.one_nat_gateway_per_az ? length(var.azs) : local.max_subnet_len)
  nat_enabled    = local.create && var.enable_nat_gateway && local.len_public > 0
  private_rts    = local.max_subnet_len > 0 ? local.nat_count : 0
}

resource "aws_vpc" "this" {
  count                = local.create ? 1 : 0
  cidr_block           = var.cidr
  enable_dns_hostnames = local.enable_dns_hostnames
  enable_dns_support   = var.enable_dns_support
  # enable_ipv6: an Amazon-provided /56, which the subnets carve a /64
  # each from by their *_subnet_ipv6_prefixes, as the module does.
  assign_generated_ipv6_cidr_block = var.enable_ipv6 ? true : null
  tags                             = merge({ Name = var.name }, var.tags, var.vpc_tags)
}

resource "aws_default_security_group" "this" {
  count  = local.create && local.manage_default_sg ? 1 : 0
  vpc_id = aws_vpc.this[0].id
  dynamic "ingress" {
    for_each = var.default_security_group_ingress
    content {
      self             = lookup(ingress.value, "self", null)
      cidr_blocks      = compact(split(",", lookup(ingress.value, "cidr_blocks", "")))
      ipv6_cidr_blocks = compact(split(",", lookup(ingress.value, "ipv6_cidr_blocks", "")))
      security_groups  = compact(split(",", lookup(ingress.value, "security_groups", "")))
      description      = lookup(ingress.value, "description", null)
      from_port        = lookup(ingress.value, "from_port", 0)
      to_port          = lookup(ingress.value, "to_port", 0)
      protocol         = lookup(ingress.value, "protocol", "-1")
    }
  }
  dynamic "egress" {
    for_each = var.default_security_group_egress
    content {
      self             = lookup(egress.value, "self", null)
      cidr_blocks      = compact(split(",", lookup(egress.value, "cidr_blocks", "")))
      ipv6_cidr_blocks = compact(split(",", lookup(egress.value, "ipv6_cidr_blocks", "")))
      security_groups  = compact(split(",", lookup(egress.value, "security_groups", "")))
      description      = lookup(egress.value, "description", null)
      from_port        = lookup(egress.value, "from_port", 0)
      to_port          = lookup(egress.value, "to_port", 0)
      protocol         = lookup(egress.value, "protocol", "-1")
    }
  }
  tags = merge({ Name = coalesce(var.default_security_group_name, "${var.name}-default") }, var.tags, var.default_security_group_tags)
}

resource "aws_default_network_acl" "this" {
  count                  = local.create && local.manage_default_acl ? 1 : 0
  default_network_acl_id = aws_vpc.this[0].default_network_acl_id
  dynamic "ingress" {
    for_each = var.default_network_acl_ingress
    content {
      action          = ingress.value.action
      cidr_block      = lookup(ingress.value, "cidr_block", null)
      ipv6_cidr_block = lookup(ingress.value, "ipv6_cidr_block", null)
      from_port       = ingress.value.from_port
      to_port         = ingress.value.to_port
      protocol        = ingress.value.protocol
      rule_no         = ingress.value.rule_no
      icmp_code       = lookup(ingress.value, "icmp_code", null)
      icmp_type       = lookup(ingress.value, "icmp_type", null)
    }
  }
  dynamic "egress" {
    for_each = var.default_network_acl_egress
    content {
      action          = egress.value.action
      cidr_block      = lookup(egress.value, "cidr_block", null)
      ipv6_cidr_block = lookup(egress.value, "ipv6_cidr_block", null)
      from_port       = egress.value.from_port
      to_port         = egress.value.to_port
      protocol        = egress.value.protocol
      rule_no         = egress.value.rule_no
      icmp_code       = lookup(egress.value, "icmp_code", null)
      icmp_type       = lookup(egress.value, "icmp_type", null)
    }
  }
  tags = merge({ Name = coalesce(var.default_network_acl_name, "${var.name}-default") }, var.tags, var.default_network_acl_tags)
  # The subnets the default ACL holds are AWS's to decide, as the module
  # leaves them: a second plan changes nothing.
  lifecycle {
    ignore_changes = [subnet_ids]
  }
}

resource "aws_default_route_table" "this" {
  count                  = local.create && local.manage_default_rt ? 1 : 0
  default_route_table_id = aws_vpc.this[0].default_route_table_id
  dynamic "route" {
    for_each = var.default_route_table_routes
    content {
      cidr_block                = route.value.cidr_block
      ipv6_cidr_block           = lookup(route.value, "ipv6_cidr_block", null)
      gateway_id                = lookup(route.value, "gateway_id", null)
      nat_gateway_id            = lookup(route.value, "nat_gateway_id", null)
      network_interface_id      = lookup(route.value, "network_interface_id", null)
      transit_gateway_id        = lookup(route.value, "transit_gateway_id", null)
      vpc_endpoint_id           = lookup(route.value, "vpc_endpoint_id", null)
      vpc_peering_connection_id = lookup(route.value, "vpc_peering_connection_id", null)
    }
  }
  tags = merge({ Name = coalesce(var.default_route_table_name, "${var.name}-default") }, var.tags, var.default_route_table_tags)
}

resource "aws_flow_log" "this" {
  count                    = local.create && var.enable_flow_log && var.flow_log_destination_arn != "" ? 1 : 0
  vpc_id                   = aws_vpc.this[0].id
  log_destination_type     = var.flow_log_destination_type
  log_destination          = var.flow_log_destination_arn != "" ? var.flow_log_destination_arn : null
  iam_role_arn             = var.flow_log_destination_type == "cloud-watch-logs" && var.flow_log_cloudwatch_iam_role_arn != "" ? var.flow_log_cloudwatch_iam_role_arn : null
  traffic_type             = var.flow_log_traffic_type
  max_aggregation_interval = var.flow_log_max_aggregation_interval
  log_format               = var.flow_log_log_format
  tags                     = merge(var.tags, var.vpc_flow_log_tags)
}

resource "aws_internet_gateway" "this" {
  count  = local.create && var.create_igw && local.len_public > 0 ? 1 : 0
  vpc_id = aws_vpc.this[0].id
  tags   = merge({ Name = var.name }, var.tags, var.igw_tags)
}

resource "aws_subnet" "public" {
  count                   = local.len_public
  vpc_id                  = aws_vpc.this[0].id
  cidr_block        = var.public_subnet_ipv6_native ? null : element(concat(var.public_subnets, [""]), count.index)
  ipv6_cidr_block                 = var.enable_ipv6 && length(var.public_subnet_ipv6_prefixes) > 0 ? cidrsubnet(aws_vpc.this[0].ipv6_cidr_block, 8, var.public_subnet_ipv6_prefixes[count.index]) : null
  assign_ipv6_address_on_creation = var.enable_ipv6 && var.public_subnet_ipv6_native ? true : var.public_subnet_assign_ipv6_address_on_creation
  ipv6_native                     = var.enable_ipv6 && var.public_subnet_ipv6_native
  enable_dns64                    = var.enable_ipv6 && var.public_subnet_enable_dns64
  enable_resource_name_dns_aaaa_record_on_launch = var.enable_ipv6 && var.public_subnet_enable_resource_name_dns_aaaa_record_on_launch
  enable_resource_name_dns_a_record_on_launch    = !var.public_subnet_ipv6_native && var.public_subnet_enable_resource_name_dns_a_record_on_launch
  private_dns_hostname_type_on_launch            = var.public_subnet_private_dns_hostname_type_on_launch
  availability_zone       = element(var.azs, count.index)
  map_public_ip_on_launch = local.map_public_ip
  tags = merge({ Name = try(var.public_subnet_names[count.index], format("${var.name}-${var.public_subnet_suffix}-%s", element(var.azs, count.index))) },
  var.tags, var.public_subnet_tags)
}

resource "aws_route_table" "public" {
  count  = local.len_public > 0 ? 1 : 0
  vpc_id = aws_vpc.this[0].id
  tags   = merge({ Name = "${var.name}-${var.public_subnet_suffix}" }, var.tags, var.public_route_table_tags)
}

resource "aws_route" "public_internet_gateway" {
  count                  = length(aws_internet_gateway.this)
  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route" "public_internet_gateway_ipv6" {
  count                       = var.enable_ipv6 ? length(aws_internet_gateway.this) : 0
  route_table_id              = aws_route_table.public[0].id
  destination_ipv6_cidr_block = "::/0"
  gateway_id                  = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  count          = local.len_public
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat" {
  count  = local.nat_enabled && !var.reuse_nat_ips ? local.nat_count : 0
  domain = "vpc"
  tags   = merge({ Name = format("${var.name}-%s", element(var.azs, var.single_nat_gateway ? 0 : count.index)) }, var.tags)
}

resource "aws_nat_gateway" "this" {
  count         = local.nat_enabled ? local.nat_count : 0
  allocation_id = var.reuse_nat_ips ? var.external_nat_ip_ids[count.index] : aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[var.single_nat_gateway ? 0 : count.index % local.len_public].id
  tags          = merge({ Name = format("${var.name}-%s", element(var.azs, var.single_nat_gateway ? 0 : count.index)) }, var.tags, var.nat_gateway_tags)
  depends_on    = [aws_internet_gateway.this]
}

resource "aws_subnet" "private" {
  count             = local.len_private
  vpc_id            = aws_vpc.this[0].id
  cidr_block        = var.private_subnet_ipv6_native ? null : element(concat(var.private_subnets, [""]), count.index)
  ipv6_cidr_block                 = var.enable_ipv6 && length(var.private_subnet_ipv6_prefixes) > 0 ? cidrsubnet(aws_vpc.this[0].ipv6_cidr_block, 8, var.private_subnet_ipv6_prefixes[count.index]) : null
  assign_ipv6_address_on_creation = var.enable_ipv6 && var.private_subnet_ipv6_native ? true : var.private_subnet_assign_ipv6_address_on_creation
  ipv6_native                     = var.enable_ipv6 && var.private_subnet_ipv6_native
  enable_dns64                    = var.enable_ipv6 && var.private_subnet_enable_dns64
  enable_resource_name_dns_aaaa_record_on_launch = var.enable_ipv6 && var.private_subnet_enable_resource_name_dns_aaaa_record_on_launch
  enable_resource_name_dns_a_record_on_launch    = !var.private_subnet_ipv6_native && var.private_subnet_enable_resource_name_dns_a_record_on_launch
  private_dns_hostname_type_on_launch            = var.private_subnet_private_dns_hostname_type_on_launch
  availability_zone = element(var.azs, count.index)
  tags = merge({ Name = try(var.private_subnet_names[count.index], format("${var.name}-${var.private_subnet_suffix}-%s", element(var.azs, count.index))) },
  var.tags, var.private_subnet_tags)
}

resource "aws_route_table" "private" {
  count  = local.private_rts
  vpc_id = aws_vpc.this[0].id
  tags = merge({ Name = var.single_nat_gateway ? "${var.name}-${var.private_subnet_suffix}" : format("${var.name}-${var.private_subnet_suffix}-%s", element(var.azs, count.index)) },
  var.tags, var.private_route_table_tags)
}

resource "aws_route" "private_nat_gateway" {
  count                  = local.nat_enabled ? local.private_rts : 0
  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[count.index % local.nat_count].id
}

# NAT64: with IPv6 and DNS64 on, the private route tables send
# 64:ff9b::/96 to their NAT gateway (the module makes this route for its
# private and database tiers only; terraform-aws-modules/terraform-aws-vpc
# #1310 and #972 are about its public subnets having none).
resource "aws_route" "private_dns64_nat_gateway" {
  count                       = local.nat_enabled && var.enable_ipv6 && var.private_subnet_enable_dns64 ? local.private_rts : 0
  route_table_id              = aws_route_table.private[count.index].id
  destination_ipv6_cidr_block = "64:ff9b::/96"
  nat_gateway_id              = aws_nat_gateway.this[count.index % local.nat_count].id
}

resource "aws_egress_only_internet_gateway" "this" {
  count  = local.create && var.create_egress_only_igw && var.enable_ipv6 && local.max_subnet_len > 0 ? 1 : 0
  vpc_id = aws_vpc.this[0].id
  tags   = merge({ Name = var.name }, var.tags)
}

resource "aws_route" "private_ipv6_egress" {
  count                       = length(aws_egress_only_internet_gateway.this) > 0 && local.len_private > 0 ? local.private_rts : 0
  route_table_id              = aws_route_table.private[count.index].id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.this[0].id
}

resource "aws_route_table_association" "private" {
  count          = local.len_private
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[var.single_nat_gateway ? 0 : count.index % local.private_rts].id
}

resource "aws_subnet" "database" {
  count             = local.len_database
  vpc_id            = aws_vpc.this[0].id
  cidr_block        = var.database_subnet_ipv6_native ? null : element(concat(var.database_subnets, [""]), count.index)
  ipv6_cidr_block                 = var.enable_ipv6 && length(var.database_subnet_ipv6_prefixes) > 0 ? cidrsubnet(aws_vpc.this[0].ipv6_cidr_block, 8, var.database_subnet_ipv6_prefixes[count.index]) : null
  assign_ipv6_address_on_creation = var.enable_ipv6 && var.database_subnet_ipv6_native ? true : var.database_subnet_assign_ipv6_address_on_creation
  ipv6_native                     = var.enable_ipv6 && var.database_subnet_ipv6_native
  enable_dns64                    = var.enable_ipv6 && var.database_subnet_enable_dns64
  enable_resource_name_dns_aaaa_record_on_launch = var.enable_ipv6 && var.database_subnet_enable_resource_name_dns_aaaa_record_on_launch
  enable_resource_name_dns_a_record_on_launch    = !var.database_subnet_ipv6_native && var.database_subnet_enable_resource_name_dns_a_record_on_launch
  private_dns_hostname_type_on_launch            = var.database_subnet_private_dns_hostname_type_on_launch
  availability_zone = element(var.azs, count.index)
  tags = merge({ Name = try(var.database_subnet_names[count.index], format("${var.name}-${var.database_subnet_suffix}-%s", element(var.azs, count.index))) },
  var.tags, var.database_subnet_tags)
}

resource "aws_route_table" "database" {
  count  = local.len_database > 0 && var.create_database_subnet_route_table ? 1 : 0
  vpc_id = aws_vpc.this[0].id
  tags   = merge({ Name = "${var.name}-${var.database_subnet_suffix}" }, var.tags)
}

resource "aws_route" "database_internet_gateway" {
  count                  = length(aws_route_table.database) > 0 && var.create_database_internet_gateway_route && length(aws_internet_gateway.this) > 0 ? 1 : 0
  route_table_id         = aws_route_table.database[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route" "database_nat_gateway" {
  count                  = length(aws_route_table.database) > 0 && var.create_database_nat_gateway_route && !var.create_database_internet_gateway_route && local.nat_enabled ? 1 : 0
  route_table_id         = aws_route_table.database[0].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[0].id
}

resource "aws_route_table_association" "database" {
  count          = local.len_database
  subnet_id      = aws_subnet.database[count.index].id
  route_table_id = length(aws_route_table.database) > 0 ? aws_route_table.database[0].id : aws_route_table.private[var.single_nat_gateway ? 0 : count.index % local.private_rts].id
}

resource "aws_subnet" "intra" {
  count             = local.len_intra
  vpc_id            = aws_vpc.this[0].id
  cidr_block        = var.intra_subnet_ipv6_native ? null : element(concat(var.intra_subnets, [""]), count.index)
  ipv6_cidr_block                 = var.enable_ipv6 && length(var.intra_subnet_ipv6_prefixes) > 0 ? cidrsubnet(aws_vpc.this[0].ipv6_cidr_block, 8, var.intra_subnet_ipv6_prefixes[count.index]) : null
  assign_ipv6_address_on_creation = var.enable_ipv6 && var.intra_subnet_ipv6_native ? true : var.intra_subnet_assign_ipv6_address_on_creation
  ipv6_native                     = var.enable_ipv6 && var.intra_subnet_ipv6_native
  enable_dns64                    = var.enable_ipv6 && var.intra_subnet_enable_dns64
  enable_resource_name_dns_aaaa_record_on_launch = var.enable_ipv6 && var.intra_subnet_enable_resource_name_dns_aaaa_record_on_launch
  enable_resource_name_dns_a_record_on_launch    = !var.intra_subnet_ipv6_native && var.intra_subnet_enable_resource_name_dns_a_record_on_launch
  private_dns_hostname_type_on_launch            = var.intra_subnet_private_dns_hostname_type_on_launch
  availability_zone = element(var.azs, count.index)
  tags = merge({ Name = try(var.intra_subnet_names[count.index], format("${var.name}-${var.intra_subnet_suffix}-%s", element(var.azs, count.index))) },
  var.tags, var.intra_subnet_tags)
}

resource "aws_route_table" "intra" {
  count  = local.len_intra > 0 ? 1 : 0
  vpc_id = aws_vpc.this[0].id
  tags   = merge({ Name = "${var.name}-${var.intra_subnet_suffix}" }, var.tags)
}

resource "aws_route_table_association" "intra" {
  count          = local.len_intra
  subnet_id      = aws_subnet.intra[count.index].id
  route_table_id = aws_route_table.intra[0].id
}

output "vpc_id" { value = try(aws_vpc.this[0].id, null) }
output "vpc_arn" { value = try(aws_vpc.this[0].arn, null) }
output "vpc_cidr_block" { value = try(aws_vpc.this[0].cidr_block, null) }
output "vpc_ipv6_cidr_block" { value = try(aws_vpc.this[0].ipv6_cidr_block, null) }
output "vpc_ipv6_association_id" { value = try(aws_vpc.this[0].ipv6_association_id, null) }
output "public_subnets_ipv6_cidr_blocks" { value = aws_subnet.public[*].ipv6_cidr_block }
output "private_subnets_ipv6_cidr_blocks" { value = aws_subnet.private[*].ipv6_cidr_block }
output "database_subnets_ipv6_cidr_blocks" { value = aws_subnet.database[*].ipv6_cidr_block }
output "intra_subnets_ipv6_cidr_blocks" { value = aws_subnet.intra[*].ipv6_cidr_block }
output "egress_only_internet_gateway_id" { value = try(aws_egress_only_internet_gateway.this[0].id, null) }
output "default_security_group_id" { value = try(aws_vpc.this[0].default_security_group_id, null) }
output "default_route_table_id" { value = try(aws_vpc.this[0].default_route_table_id, null) }
output "vpc_main_route_table_id" { value = try(aws_vpc.this[0].main_route_table_id, null) }
output "igw_id" { value = try(aws_internet_gateway.this[0].id, null) }
output "public_subnets" { value = aws_subnet.public[*].id }
output "public_subnet_arns" { value = aws_subnet.public[*].arn }
output "public_subnets_cidr_blocks" { value = aws_subnet.public[*].cidr_block }
output "private_subnets" { value = aws_subnet.private[*].id }
output "private_subnet_arns" { value = aws_subnet.private[*].arn }
output "private_subnets_cidr_blocks" { value = aws_subnet.private[*].cidr_block }
output "database_subnets" { value = aws_subnet.database[*].id }
output "database_subnets_cidr_blocks" { value = aws_subnet.database[*].cidr_block }
output "database_subnet_group" { value = local.len_database > 0 && var.create_database_subnet_group ? coalesce(var.database_subnet_group_name, var.name) : null }
output "database_subnet_group_name" { value = local.len_database > 0 && var.create_database_subnet_group ? coalesce(var.database_subnet_group_name, var.name) : null }
output "intra_subnets" { value = aws_subnet.intra[*].id }
output "public_route_table_ids" { value = aws_route_table.public[*].id }
output "private_route_table_ids" { value = aws_route_table.private[*].id }
output "database_route_table_ids" { value = length(aws_route_table.database) > 0 ? aws_route_table.database[*].id : aws_route_table.private[*].id }
output "intra_route_table_ids" { value = aws_route_table.intra[*].id }
output "natgw_ids" { value = aws_nat_gateway.this[*].id }
output "nat_ids" { value = aws_eip.nat[*].id }
output "nat_public_ips" { value = var.reuse_nat_ips ? var.external_nat_ips : aws_eip.nat[*].public_ip }
output "azs" { value = var.azs }
output "name" { value = var.name }
output "intra_subnet_arns" { value = aws_subnet.intra[*].arn }
output "intra_subnets_cidr_blocks" { value = aws_subnet.intra[*].cidr_block }
output "database_subnet_arns" { value = aws_subnet.database[*].arn }
output "public_subnet_objects" { value = aws_subnet.public }
output "private_subnet_objects" { value = aws_subnet.private }
output "database_subnet_objects" { value = aws_subnet.database }
output "intra_subnet_objects" { value = aws_subnet.intra }
output "igw_arn" { value = try(aws_internet_gateway.this[0].arn, null) }
output "vpc_owner_id" { value = try(aws_vpc.this[0].owner_id, null) }
output "vpc_enable_dns_support" { value = try(aws_vpc.this[0].enable_dns_support, null) }
output "vpc_enable_dns_hostnames" { value = try(aws_vpc.this[0].enable_dns_hostnames, null) }
output "vpc_flow_log_id" { value = try(aws_flow_log.this[0].id, null) }
output "vpc_flow_log_destination_arn" { value = try(aws_flow_log.this[0].log_destination, null) }
output "default_network_acl_id" { value = try(aws_vpc.this[0].default_network_acl_id, null) }
output "public_internet_gateway_route_id" { value = try(aws_route.public_internet_gateway[0].id, null) }
output "private_nat_gateway_route_ids" { value = aws_route.private_nat_gateway[*].id }
