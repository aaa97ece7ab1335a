# ecsnet's stand-in for the registry module terraform-aws-modules/alb/aws
# (its v9 and v10 interface: maps of listeners and target groups; and the v8 lists,
# target_groups, http_tcp_listeners and https_listeners), used when
# `terraform init` has not installed it. Written for ecsnet: it makes the
# load balancer, its security group and rules, target groups, listeners
# (forward, redirect, fixed response) and listener rules (path and host
# conditions); an NLB's subnet_mapping (Elastic IPs, fixed addresses).

variable "create" { default = true }
# v5 to v8 spelled it create_lb.
variable "create_lb" { default = true }
variable "name" { default = null }
variable "name_prefix" { default = null }
variable "load_balancer_type" { default = "application" }
variable "internal" { default = null }
variable "vpc_id" { default = null }
variable "subnets" { default = null }
# A subnet per zone with its Elastic IP (allocation_id), fixed private
# address or IPv6 address (an NLB), the module's list(map(string)).
variable "subnet_mapping" { default = [] }
variable "security_groups" { default = [] }
variable "create_security_group" { default = true }
variable "security_group_name" { default = null }
variable "security_group_use_name_prefix" { default = true }
variable "security_group_description" { default = null }
variable "security_group_ingress_rules" { default = {} }
variable "security_group_egress_rules" { default = {} }
variable "listeners" { default = {} }
variable "target_groups" { default = {} }
variable "idle_timeout" { default = null }
variable "ip_address_type" { default = null }
variable "enable_deletion_protection" { default = true }
variable "tags" { default = {} }
# v9 and v10: the port and protocol of a listener or target group that
# names none (not a lambda target group's).
variable "default_port" { default = 80 }
variable "default_protocol" { default = "HTTP" }
# The module's older (v8) list interface.
variable "http_tcp_listeners" { default = [] }
variable "http_tcp_listener_rules" { default = [] }
variable "https_listener_rules" { default = [] }
# v8.3 and later make a security group of their own from this map of
# ingress and egress rules.
variable "security_group_rules" { default = {} }
variable "https_listeners" { default = [] }

locals {
  create = var.create && var.create_lb
  # The v8 interface (listener lists) made no security group until v8.3,
  # which makes one from security_group_rules: a v8 configuration without
  # rules is read as an earlier v8's [choice].
  v8        = length(concat(var.http_tcp_listeners, var.https_listeners)) > 0
  create_sg = local.create && var.create_security_group && (!local.v8 || length(var.security_group_rules) > 0)
  sg_name = coalesce(var.security_group_name, var.name, "alb")
  rules = flatten([for lk, l in var.listeners : [for rk, r in lookup(l, "rules", {}) : {
    key = "${lk}/${rk}", listener = lk, rule = r
  }]])
  # A rule's actions as kind and body: v9 writes { type = "forward",
  # target_group_key = … }, v10 { forward = { target_group_key = … } }
  # (and weighted_forward, fixed_response, redirect alike).
  # The list interface's rules (v5 to v8): each names its listener by
  # index, its actions their target group by index, and each condition is
  # an object of lists (path_patterns, host_headers, http_headers, …).
  v8_rules = concat(
    [for i, r in var.http_tcp_listener_rules : merge(r, { key = "http-${i}", listener = lookup(r, "http_tcp_listener_index", 0) })],
    [for i, r in var.https_listener_rules : merge(r, { key = "https-${i}", listener = length(var.http_tcp_listeners) + lookup(r, "https_listener_index", 0) })],
  )
  # The list interface's targets: target_groups[i].targets (a map from v6,
  # a list before).
  v8_targets = flatten([for tk, tg in var.target_groups : [for k, t in lookup(tg, "targets", {}) : {
    key = "${tk}/${k}", tg = tostring(tk), target_id = t.target_id, port = lookup(t, "port", null)
  }] if lookup(tg, "target_type", "instance") != "lambda"])
  rule_actions = { for r in local.rules : r.key => [for a in lookup(r.rule, "actions", []) : {
    kind = (contains(keys(a), "forward") ? "forward" : contains(keys(a), "weighted_forward") ? "weighted-forward" :
    contains(keys(a), "fixed_response") ? "fixed-response" : contains(keys(a), "redirect") ? "redirect" : lookup(a, "type", "forward"))
    body = try(a.forward, a.weighted_forward, a.fixed_response, a.redirect, a)
  }] }
}

resource "aws_security_group" "this" {
  count       = local.create_sg ? 1 : 0
  name        = var.security_group_use_name_prefix ? null : local.sg_name
  name_prefix = var.security_group_use_name_prefix ? "${local.sg_name}-" : null
  description = coalesce(var.security_group_description, "Security group for ${local.sg_name} ${var.load_balancer_type} load balancer")
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each                     = { for k, v in var.security_group_ingress_rules : k => v if local.create_sg }
  security_group_id            = aws_security_group.this[0].id
  cidr_ipv4                    = lookup(each.value, "cidr_ipv4", null)
  cidr_ipv6                    = lookup(each.value, "cidr_ipv6", null)
  prefix_list_id               = lookup(each.value, "prefix_list_id", null)
  referenced_security_group_id = lookup(each.value, "referenced_security_group_id", null)
  from_port                    = lookup(each.value, "from_port", null)
  to_port                      = lookup(each.value, "to_port", null)
  ip_protocol                  = lookup(each.value, "ip_protocol", "tcp")
  description                  = lookup(each.value, "description", null)
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each                     = { for k, v in var.security_group_egress_rules : k => v if local.create_sg }
  security_group_id            = aws_security_group.this[0].id
  cidr_ipv4                    = lookup(each.value, "cidr_ipv4", null)
  cidr_ipv6                    = lookup(each.value, "cidr_ipv6", null)
  prefix_list_id               = lookup(each.value, "prefix_list_id", null)
  referenced_security_group_id = lookup(each.value, "referenced_security_group_id", null)
  from_port                    = lookup(each.value, "from_port", null)
  to_port                      = lookup(each.value, "to_port", null)
  ip_protocol                  = lookup(each.value, "ip_protocol", "tcp")
  description                  = lookup(each.value, "description", null)
}

resource "aws_security_group_rule" "this" {
  for_each                 = { for k, v in var.security_group_rules : k => v if local.create_sg }
  security_group_id        = aws_security_group.this[0].id
  type                     = each.value.type
  protocol                 = lookup(each.value, "protocol", "tcp")
  from_port                = each.value.from_port
  to_port                  = each.value.to_port
  cidr_blocks              = lookup(each.value, "cidr_blocks", null)
  ipv6_cidr_blocks         = lookup(each.value, "ipv6_cidr_blocks", null)
  prefix_list_ids          = lookup(each.value, "prefix_list_ids", null)
  self                     = lookup(each.value, "self", null)
  source_security_group_id = lookup(each.value, "source_security_group_id", null)
  description              = lookup(each.value, "description", null)
}

resource "aws_lb" "this" {
  count              = local.create ? 1 : 0
  name               = var.name
  name_prefix        = var.name_prefix
  load_balancer_type = var.load_balancer_type
  internal           = var.internal
  subnets            = var.subnets
  dynamic "subnet_mapping" {
    for_each = var.subnet_mapping
    content {
      subnet_id            = subnet_mapping.value.subnet_id
      allocation_id        = lookup(subnet_mapping.value, "allocation_id", null)
      private_ipv4_address = lookup(subnet_mapping.value, "private_ipv4_address", null)
      ipv6_address         = lookup(subnet_mapping.value, "ipv6_address", null)
    }
  }
  security_groups    = concat(var.security_groups, aws_security_group.this[*].id)
  idle_timeout       = var.idle_timeout
  ip_address_type    = var.ip_address_type
  tags               = var.tags
}

resource "aws_lb_target_group" "this" {
  for_each    = { for k, v in var.target_groups : k => v if local.create }
  name        = lookup(each.value, "name", null)
  name_prefix = lookup(each.value, "name_prefix", null)
  port        = lookup(each.value, "port", lookup(each.value, "backend_port", local.v8 || lookup(each.value, "target_type", null) == "lambda" ? null : var.default_port))
  protocol    = lookup(each.value, "protocol", lookup(each.value, "backend_protocol", local.v8 || lookup(each.value, "target_type", null) == "lambda" ? null : var.default_protocol))
  target_type = lookup(each.value, "target_type", null)
  vpc_id      = lookup(each.value, "vpc_id", var.vpc_id)
  # HTTP1, HTTP2 or GRPC (an HTTP or HTTPS group's), as the module passes it.
  protocol_version = lookup(each.value, "protocol_version", null)
  # The group's attributes the module passes on (v5 to v10 alike).
  deregistration_delay          = lookup(each.value, "deregistration_delay", null)
  preserve_client_ip            = lookup(each.value, "preserve_client_ip", null)
  proxy_protocol_v2             = lookup(each.value, "proxy_protocol_v2", null)
  load_balancing_algorithm_type = lookup(each.value, "load_balancing_algorithm_type", null)
  slow_start                    = lookup(each.value, "slow_start", null)
  load_balancing_cross_zone_enabled = lookup(each.value, "load_balancing_cross_zone_enabled", null)
  dynamic "stickiness" {
    for_each = contains(keys(each.value), "stickiness") ? [each.value.stickiness] : []
    content {
      enabled         = lookup(stickiness.value, "enabled", null)
      type            = stickiness.value.type
      cookie_duration = lookup(stickiness.value, "cookie_duration", null)
      cookie_name     = lookup(stickiness.value, "cookie_name", null)
    }
  }
  # ip_address_type is not passed: ecsnet models IPv4 target groups only.
  dynamic "health_check" {
    for_each = contains(keys(each.value), "health_check") ? [each.value.health_check] : []
    content {
      enabled             = lookup(health_check.value, "enabled", null)
      path                = lookup(health_check.value, "path", null)
      port                = lookup(health_check.value, "port", null)
      protocol            = lookup(health_check.value, "protocol", null)
      matcher             = lookup(health_check.value, "matcher", null)
      interval            = lookup(health_check.value, "interval", null)
      timeout             = lookup(health_check.value, "timeout", null)
      healthy_threshold   = lookup(health_check.value, "healthy_threshold", null)
      unhealthy_threshold = lookup(health_check.value, "unhealthy_threshold", null)
    }
  }
  tags = var.tags
}

resource "aws_lb_target_group_attachment" "this" {
  for_each         = { for k, v in var.target_groups : k => v if local.create && lookup(v, "create_attachment", true) && contains(keys(v), "target_id") }
  target_group_arn = aws_lb_target_group.this[each.key].arn
  target_id        = each.value.target_id
  port             = lookup(each.value, "port", null)
}

resource "aws_lb_listener" "this" {
  for_each          = { for k, v in var.listeners : k => v if local.create }
  load_balancer_arn = aws_lb.this[0].arn
  port              = lookup(each.value, "port", var.default_port)
  protocol          = lookup(each.value, "protocol", var.default_protocol)
  certificate_arn   = lookup(each.value, "certificate_arn", null)
  ssl_policy        = lookup(each.value, "ssl_policy", null)
  dynamic "default_action" {
    for_each = contains(keys(each.value), "forward") ? [each.value.forward] : []
    content {
      type             = "forward"
      target_group_arn = try(aws_lb_target_group.this[default_action.value.target_group_key].arn, default_action.value.arn)
    }
  }
  dynamic "default_action" {
    for_each = contains(keys(each.value), "weighted_forward") ? [each.value.weighted_forward] : []
    content {
      type = "forward"
      forward {
        dynamic "target_group" {
          for_each = default_action.value.target_groups
          content {
            arn    = try(aws_lb_target_group.this[target_group.value.target_group_key].arn, target_group.value.arn)
            weight = lookup(target_group.value, "weight", null)
          }
        }
      }
    }
  }
  dynamic "default_action" {
    for_each = contains(keys(each.value), "redirect") ? [each.value.redirect] : []
    content {
      type = "redirect"
      redirect {
        port        = lookup(default_action.value, "port", null)
        protocol    = lookup(default_action.value, "protocol", null)
        host        = lookup(default_action.value, "host", null)
        path        = lookup(default_action.value, "path", null)
        query       = lookup(default_action.value, "query", null)
        status_code = default_action.value.status_code
      }
    }
  }
  dynamic "default_action" {
    for_each = contains(keys(each.value), "fixed_response") ? [each.value.fixed_response] : []
    content {
      type = "fixed-response"
      fixed_response {
        content_type = default_action.value.content_type
        message_body = lookup(default_action.value, "message_body", null)
        status_code  = lookup(default_action.value, "status_code", null)
      }
    }
  }
  tags = var.tags
}

resource "aws_lb_listener" "v8" {
  count             = local.create ? length(concat(var.http_tcp_listeners, var.https_listeners)) : 0
  load_balancer_arn = aws_lb.this[0].arn
  port              = concat(var.http_tcp_listeners, var.https_listeners)[count.index].port
  protocol          = lookup(concat(var.http_tcp_listeners, var.https_listeners)[count.index], "protocol", count.index < length(var.http_tcp_listeners) ? "HTTP" : "HTTPS")
  certificate_arn   = lookup(concat(var.http_tcp_listeners, var.https_listeners)[count.index], "certificate_arn", null)
  ssl_policy        = lookup(concat(var.http_tcp_listeners, var.https_listeners)[count.index], "ssl_policy", null)
  dynamic "default_action" {
    for_each = lookup(concat(var.http_tcp_listeners, var.https_listeners)[count.index], "action_type", "forward") == "forward" ? [1] : []
    content {
      type             = "forward"
      target_group_arn = aws_lb_target_group.this[tostring(lookup(concat(var.http_tcp_listeners, var.https_listeners)[count.index], "target_group_index", 0))].arn
    }
  }
  dynamic "default_action" {
    for_each = lookup(concat(var.http_tcp_listeners, var.https_listeners)[count.index], "action_type", "forward") == "redirect" ? [concat(var.http_tcp_listeners, var.https_listeners)[count.index].redirect] : []
    content {
      type = "redirect"
      redirect {
        port        = lookup(default_action.value, "port", null)
        protocol    = lookup(default_action.value, "protocol", null)
        status_code = default_action.value.status_code
      }
    }
  }
  dynamic "default_action" {
    for_each = lookup(concat(var.http_tcp_listeners, var.https_listeners)[count.index], "action_type", "forward") == "fixed-response" ? [concat(var.http_tcp_listeners, var.https_listeners)[count.index].fixed_response] : []
    content {
      type = "fixed-response"
      fixed_response {
        content_type = default_action.value.content_type
        message_body = lookup(default_action.value, "message_body", null)
        status_code  = lookup(default_action.value, "status_code", null)
      }
    }
  }
}

resource "aws_lb_listener_rule" "this" {
  for_each     = { for r in local.rules : r.key => r if local.create }
  listener_arn = aws_lb_listener.this[each.value.listener].arn
  priority     = lookup(each.value.rule, "priority", null)
  dynamic "action" {
    for_each = [for a in local.rule_actions[each.key] : a.body if a.kind == "forward"]
    content {
      type             = "forward"
      target_group_arn = try(aws_lb_target_group.this[action.value.target_group_key].arn, action.value.target_group_arn)
    }
  }
  dynamic "action" {
    for_each = [for a in local.rule_actions[each.key] : a.body if a.kind == "weighted-forward"]
    content {
      type = "forward"
      forward {
        dynamic "target_group" {
          for_each = action.value.target_groups
          content {
            arn    = try(aws_lb_target_group.this[target_group.value.target_group_key].arn, target_group.value.arn)
            weight = lookup(target_group.value, "weight", null)
          }
        }
      }
    }
  }
  dynamic "action" {
    for_each = [for a in local.rule_actions[each.key] : a.body if a.kind == "fixed-response"]
    content {
      type = "fixed-response"
      fixed_response {
        content_type = action.value.content_type
        message_body = lookup(action.value, "message_body", null)
        status_code  = lookup(action.value, "status_code", null)
      }
    }
  }
  dynamic "action" {
    for_each = [for a in local.rule_actions[each.key] : a.body if a.kind == "redirect"]
    content {
      type = "redirect"
      redirect {
        port        = lookup(action.value, "port", null)
        protocol    = lookup(action.value, "protocol", null)
        host        = lookup(action.value, "host", null)
        path        = lookup(action.value, "path", null)
        query       = lookup(action.value, "query", null)
        status_code = action.value.status_code
      }
    }
  }
  dynamic "condition" {
    for_each = [for c in lookup(each.value.rule, "conditions", []) : c if contains(keys(c), "path_pattern")]
    content {
      path_pattern {
        values = condition.value.path_pattern.values
      }
    }
  }
  dynamic "condition" {
    for_each = [for c in lookup(each.value.rule, "conditions", []) : c if contains(keys(c), "host_header")]
    content {
      host_header {
        values = condition.value.host_header.values
      }
    }
  }
}

resource "aws_lb_target_group_attachment" "v8" {
  for_each         = { for t in local.v8_targets : t.key => t if local.create }
  target_group_arn = aws_lb_target_group.this[each.value.tg].arn
  target_id        = each.value.target_id
  port             = each.value.port
}

resource "aws_lb_listener_rule" "v8" {
  for_each     = { for r in local.v8_rules : r.key => r if local.create }
  listener_arn = aws_lb_listener.v8[each.value.listener].arn
  priority     = lookup(each.value, "priority", null)
  dynamic "action" {
    for_each = [for a in lookup(each.value, "actions", []) : a if a.type == "forward"]
    content {
      type             = "forward"
      target_group_arn = aws_lb_target_group.this[tostring(lookup(action.value, "target_group_index", 0))].arn
    }
  }
  dynamic "action" {
    for_each = [for a in lookup(each.value, "actions", []) : a if a.type == "fixed-response"]
    content {
      type = "fixed-response"
      fixed_response {
        content_type = action.value.content_type
        message_body = lookup(action.value, "message_body", null)
        status_code  = lookup(action.value, "status_code", null)
      }
    }
  }
  dynamic "action" {
    for_each = [for a in lookup(each.value, "actions", []) : a if a.type == "redirect"]
    content {
      type = "redirect"
      redirect {
        port        = lookup(action.value, "port", null)
        protocol    = lookup(action.value, "protocol", null)
        host        = lookup(action.value, "host", null)
        path        = lookup(action.value, "path", null)
        query       = lookup(action.value, "query", null)
        status_code = action.value.status_code
      }
    }
  }
  dynamic "action" {
    for_each = [for a in lookup(each.value, "actions", []) : a if startswith(a.type, "authenticate-")]
    content {
      type = action.value.type
    }
  }
  dynamic "condition" {
    for_each = [for c in lookup(each.value, "conditions", []) : c.path_patterns if contains(keys(c), "path_patterns")]
    content {
      path_pattern {
        values = condition.value
      }
    }
  }
  dynamic "condition" {
    for_each = [for c in lookup(each.value, "conditions", []) : c.host_headers if contains(keys(c), "host_headers")]
    content {
      host_header {
        values = condition.value
      }
    }
  }
  dynamic "condition" {
    for_each = flatten([for c in lookup(each.value, "conditions", []) : lookup(c, "http_headers", [])])
    content {
      http_header {
        http_header_name = condition.value.http_header_name
        values           = condition.value.values
      }
    }
  }
  dynamic "condition" {
    for_each = [for c in lookup(each.value, "conditions", []) : c.query_strings if contains(keys(c), "query_strings")]
    content {
      dynamic "query_string" {
        for_each = condition.value
        content {
          key   = lookup(query_string.value, "key", null)
          value = query_string.value.value
        }
      }
    }
  }
}

output "id" { value = try(aws_lb.this[0].id, null) }
output "arn" { value = try(aws_lb.this[0].arn, null) }
output "dns_name" { value = try(aws_lb.this[0].dns_name, null) }
output "zone_id" { value = try(aws_lb.this[0].zone_id, null) }
output "security_group_id" { value = try(aws_security_group.this[0].id, null) }
output "security_group_arn" { value = try(aws_security_group.this[0].arn, null) }
output "target_groups" { value = aws_lb_target_group.this }
output "listeners" { value = aws_lb_listener.this }
output "listener_rules" { value = aws_lb_listener_rule.this }
output "lb_id" { value = try(aws_lb.this[0].id, null) }
output "lb_arn" { value = try(aws_lb.this[0].arn, null) }
output "lb_dns_name" { value = try(aws_lb.this[0].dns_name, null) }
output "lb_zone_id" { value = try(aws_lb.this[0].zone_id, null) }
output "target_group_arns" { value = [for k in sort(keys(aws_lb_target_group.this)) : aws_lb_target_group.this[k].arn] }
output "target_group_names" { value = [for k in sort(keys(aws_lb_target_group.this)) : aws_lb_target_group.this[k].name] }
output "http_tcp_listener_arns" { value = slice(aws_lb_listener.v8[*].arn, 0, length(var.http_tcp_listeners)) }
output "https_listener_arns" { value = slice(aws_lb_listener.v8[*].arn, length(var.http_tcp_listeners), length(aws_lb_listener.v8)) }
