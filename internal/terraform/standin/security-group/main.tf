# ecsnet's stand-in for the registry module
# terraform-aws-modules/security-group/aws, used when `terraform init` has
# not installed it. Written for ecsnet: it makes the group and its rules
# from the arguments that shape the network (named rules with
# ingress_cidr_blocks, the *_with_cidr_blocks, *_with_source_security_group_id
# and *_with_self lists, their computed_ forms, egress alike). Named rules
# are the common ones of the module's table; another name is an error.

variable "create" { default = true }
variable "create_sg" { default = true }
variable "security_group_id" { default = null }
variable "name" { default = null }
variable "use_name_prefix" { default = true }
variable "description" { default = "Security Group managed by Terraform" }
variable "vpc_id" { default = null }
variable "revoke_rules_on_delete" { default = false }
variable "tags" { default = {} }
variable "ingress_rules" { default = [] }
variable "ingress_cidr_blocks" { default = [] }
variable "ingress_ipv6_cidr_blocks" { default = [] }
variable "ingress_prefix_list_ids" { default = [] }
variable "ingress_with_cidr_blocks" { default = [] }
variable "ingress_with_source_security_group_id" { default = [] }
variable "ingress_with_self" { default = [] }
variable "computed_ingress_rules" { default = [] }
variable "computed_ingress_with_cidr_blocks" { default = [] }
variable "computed_ingress_with_source_security_group_id" { default = [] }
variable "computed_ingress_with_self" { default = [] }
variable "number_of_computed_ingress_rules" { default = 0 }
variable "number_of_computed_ingress_with_cidr_blocks" { default = 0 }
variable "number_of_computed_ingress_with_source_security_group_id" { default = 0 }
variable "number_of_computed_ingress_with_self" { default = 0 }
variable "egress_rules" { default = [] }
variable "egress_cidr_blocks" { default = ["0.0.0.0/0"] }
variable "egress_ipv6_cidr_blocks" { default = ["::/0"] }
variable "egress_prefix_list_ids" { default = [] }
variable "egress_with_cidr_blocks" { default = [] }
variable "egress_with_source_security_group_id" { default = [] }
variable "egress_with_self" { default = [] }
variable "computed_egress_rules" { default = [] }
variable "computed_egress_with_cidr_blocks" { default = [] }
variable "computed_egress_with_source_security_group_id" { default = [] }
variable "number_of_computed_egress_rules" { default = 0 }
variable "number_of_computed_egress_with_cidr_blocks" { default = 0 }
variable "number_of_computed_egress_with_source_security_group_id" { default = 0 }
variable "rules" {
  default = {
    "all-all"                = [-1, -1, "-1", "All protocols"]
    "all-tcp"                = [0, 65535, "tcp", "All TCP ports"]
    "all-udp"                = [0, 65535, "udp", "All UDP ports"]
    "all-icmp"               = [-1, -1, "icmp", "All IPV4 ICMP"]
    "all-ipv6-icmp"          = [-1, -1, "58", "All IPV6 ICMP"]
    "http-80-tcp"            = [80, 80, "tcp", "HTTP"]
    "http-8080-tcp"          = [8080, 8080, "tcp", "HTTP"]
    "https-443-tcp"          = [443, 443, "tcp", "HTTPS"]
    "https-8443-tcp"         = [8443, 8443, "tcp", "HTTPS"]
    "ssh-tcp"                = [22, 22, "tcp", "SSH"]
    "rdp-tcp"                = [3389, 3389, "tcp", "Remote Desktop - TCP"]
    "rdp-udp"                = [3389, 3389, "udp", "Remote Desktop - UDP"]
    "web-jmx-tcp"            = [1099, 1099, "tcp", "JMX"]
    "dns-udp"                = [53, 53, "udp", "DNS"]
    "dns-tcp"                = [53, 53, "tcp", "DNS"]
    "ntp-udp"                = [123, 123, "udp", "NTP"]
    "nfs-tcp"                = [2049, 2049, "tcp", "NFS/EFS"]
    "mysql-tcp"              = [3306, 3306, "tcp", "MySQL/Aurora"]
    "postgresql-tcp"         = [5432, 5432, "tcp", "PostgreSQL"]
    "mssql-tcp"              = [1433, 1433, "tcp", "MSSQL Server"]
    "oracle-db-tcp"          = [1521, 1521, "tcp", "Oracle"]
    "redis-tcp"              = [6379, 6379, "tcp", "Redis"]
    "memcached-tcp"          = [11211, 11211, "tcp", "Memcached"]
    "mongodb-27017-tcp"      = [27017, 27017, "tcp", "MongoDB"]
    "mongodb-27018-tcp"      = [27018, 27018, "tcp", "MongoDB shard"]
    "mongodb-27019-tcp"      = [27019, 27019, "tcp", "MongoDB config server"]
    "elasticsearch-rest-tcp" = [9200, 9200, "tcp", "Elasticsearch REST interface"]
    "kafka-broker-tcp"       = [9092, 9092, "tcp", "Kafka broker 0.8.2+"]
    "rabbitmq-5672-tcp"      = [5672, 5672, "tcp", "RabbitMQ"]
    "grafana-tcp"            = [3000, 3000, "tcp", "Grafana Dashboard"]
    "prometheus-http-tcp"    = [9090, 9090, "tcp", "Prometheus"]
    "docker-swarm-mngmt-tcp" = [2377, 2377, "tcp", "Docker Swarm cluster management"]
    "smtp-tcp"               = [25, 25, "tcp", "SMTP"]
  }
}

locals {
  create = var.create && var.create_sg
  id     = local.create ? aws_security_group.this[0].id : var.security_group_id

  # Every rule as one flat object: type, ports, protocol and source.
  # A preset submodule's automatic rules (auto.tf) come first, as its
  # call of the module concatenates them.
  ingress_rules = distinct(concat(var.auto_ingress_rules, var.ingress_rules))
  egress_rules  = distinct(concat(var.auto_egress_rules, var.egress_rules))
  named = [for r in concat(local.ingress_rules, var.computed_ingress_rules) : {
    type = "ingress", rule = r, cidr_blocks = var.ingress_cidr_blocks, ipv6_cidr_blocks = var.ingress_ipv6_cidr_blocks,
  prefix_list_ids = var.ingress_prefix_list_ids, source = null, self = null, description = null }]
  named_egress = [for r in concat(local.egress_rules, var.computed_egress_rules) : {
    type = "egress", rule = r, cidr_blocks = var.egress_cidr_blocks, ipv6_cidr_blocks = var.egress_ipv6_cidr_blocks,
  prefix_list_ids = var.egress_prefix_list_ids, source = null, self = null, description = null }]
  listed = concat(
    [for m in concat(var.ingress_with_cidr_blocks, var.computed_ingress_with_cidr_blocks) : merge(m, { type = "ingress",
    cidr_blocks = split(",", lookup(m, "cidr_blocks", join(",", var.ingress_cidr_blocks))), source = null, self = null })],
    [for m in concat(var.ingress_with_source_security_group_id, var.computed_ingress_with_source_security_group_id) : merge(m, { type = "ingress",
    cidr_blocks = [], source = m["source_security_group_id"], self = null })],
    [for m in concat(var.auto_ingress_with_self, var.ingress_with_self, var.computed_ingress_with_self) : merge(m, { type = "ingress", cidr_blocks = [], source = null, self = true })],
    [for m in concat(var.egress_with_cidr_blocks, var.computed_egress_with_cidr_blocks) : merge(m, { type = "egress",
    cidr_blocks = split(",", lookup(m, "cidr_blocks", join(",", var.egress_cidr_blocks))), source = null, self = null })],
    [for m in concat(var.egress_with_source_security_group_id, var.computed_egress_with_source_security_group_id) : merge(m, { type = "egress",
    cidr_blocks = [], source = m["source_security_group_id"], self = null })],
    [for m in concat(var.auto_egress_with_self, var.egress_with_self) : merge(m, { type = "egress", cidr_blocks = [], source = null, self = true })],
  )
  all = concat(
    [for r in concat(local.named, local.named_egress) : {
      type = r.type, from_port = var.rules[r.rule][0], to_port = var.rules[r.rule][1], protocol = var.rules[r.rule][2],
      description = var.rules[r.rule][3], cidr_blocks = r.cidr_blocks, ipv6_cidr_blocks = r.ipv6_cidr_blocks,
    prefix_list_ids = r.prefix_list_ids, source = null, self = null }],
    [for m in local.listed : {
      type      = m.type
      from_port = contains(keys(m), "rule") ? var.rules[m["rule"]][0] : m["from_port"]
      to_port   = contains(keys(m), "rule") ? var.rules[m["rule"]][1] : m["to_port"]
      protocol  = contains(keys(m), "rule") ? var.rules[m["rule"]][2] : m["protocol"]
      description = lookup(m, "description", contains(keys(m), "rule") ? var.rules[m["rule"]][3] : "Ingress Rule")
      cidr_blocks = [for c in m.cidr_blocks : trimspace(c) if trimspace(c) != ""]
      ipv6_cidr_blocks = compact(split(",", lookup(m, "ipv6_cidr_blocks", "")))
      prefix_list_ids  = compact(split(",", lookup(m, "prefix_list_ids", "")))
      source = m.source
      self   = m.self
    }],
  )
}

resource "aws_security_group" "this" {
  count       = local.create ? 1 : 0
  name        = var.use_name_prefix ? null : var.name
  name_prefix = var.use_name_prefix ? "${var.name}-" : null
  description = var.description
  vpc_id      = var.vpc_id
  tags        = merge({ Name = var.name }, var.tags)
}

resource "aws_security_group_rule" "this" {
  count                    = length(local.all)
  security_group_id        = local.id
  type                     = local.all[count.index].type
  from_port                = local.all[count.index].from_port
  to_port                  = local.all[count.index].to_port
  protocol                 = local.all[count.index].protocol
  description              = local.all[count.index].description
  cidr_blocks              = length(local.all[count.index].cidr_blocks) > 0 && local.all[count.index].source == null && local.all[count.index].self == null ? local.all[count.index].cidr_blocks : null
  ipv6_cidr_blocks         = length(local.all[count.index].ipv6_cidr_blocks) > 0 && local.all[count.index].source == null && local.all[count.index].self == null ? local.all[count.index].ipv6_cidr_blocks : null
  prefix_list_ids          = length(local.all[count.index].prefix_list_ids) > 0 ? local.all[count.index].prefix_list_ids : null
  source_security_group_id = local.all[count.index].source
  self                     = local.all[count.index].self
}

output "security_group_id" { value = local.id }
output "security_group_arn" { value = try(aws_security_group.this[0].arn, null) }
output "security_group_name" { value = try(aws_security_group.this[0].name, null) }
output "security_group_vpc_id" { value = try(aws_security_group.this[0].vpc_id, var.vpc_id) }
output "security_group_description" { value = var.description }
output "security_group_owner_id" { value = try(aws_security_group.this[0].owner_id, null) }
# The module's v3 outputs.
output "this_security_group_id" { value = local.id }
output "this_security_group_arn" { value = try(aws_security_group.this[0].arn, null) }
output "this_security_group_name" { value = try(aws_security_group.this[0].name, null) }
output "this_security_group_vpc_id" { value = try(aws_security_group.this[0].vpc_id, var.vpc_id) }
output "this_security_group_owner_id" { value = try(aws_security_group.this[0].owner_id, null) }
output "this_security_group_description" { value = var.description }
