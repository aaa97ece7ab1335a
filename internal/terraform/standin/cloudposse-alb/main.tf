# ecsnet's stand-in for cloudposse/alb/aws (github.com/cloudposse/terraform-aws-alb):
# an application load balancer in the given subnets with its own security
# group (HTTP in from http_ingress_cidr_blocks, HTTPS when enabled, all
# out), a default target group, an HTTP listener forwarding to it (or
# redirecting to HTTPS, or a fixed response) and an HTTPS listener when
# enabled, as the module's main.tf makes them. The access logs bucket is
# not made (it does not change how packets flow).

variable "vpc_id" {}
variable "subnet_ids" {}
variable "security_group_ids" { default = [] }
variable "security_group_enabled" { default = true }
variable "internal" { default = false }
variable "ip_address_type" { default = "ipv4" }
variable "idle_timeout" { default = 60 }
variable "http2_enabled" { default = true }
variable "cross_zone_load_balancing_enabled" { default = true }
variable "deletion_protection_enabled" { default = false }
variable "load_balancer_name" { default = "" }
variable "http_enabled" { default = true }
variable "http_port" { default = 80 }
variable "http_redirect" { default = false }
variable "http_ingress_cidr_blocks" { default = ["0.0.0.0/0", "::/0"] }
variable "http_ingress_prefix_list_ids" { default = [] }
variable "listener_http_fixed_response" { default = null }
variable "https_enabled" { default = false }
variable "https_port" { default = 443 }
variable "https_ingress_cidr_blocks" { default = ["0.0.0.0/0", "::/0"] }
variable "https_ingress_prefix_list_ids" { default = [] }
variable "https_ssl_policy" { default = "ELBSecurityPolicy-TLS13-1-2-2021-06" }
variable "certificate_arn" { default = "" }
variable "additional_certs" { default = [] }
variable "listener_https_fixed_response" { default = null }
variable "default_target_group_enabled" { default = true }
variable "target_group_name" { default = "" }
variable "target_group_port" { default = 80 }
variable "target_group_protocol" { default = "HTTP" }
variable "target_group_protocol_version" { default = "HTTP1" }
variable "target_group_target_type" { default = "ip" }
variable "deregistration_delay" { default = 15 }
variable "health_check_path" { default = "/" }
variable "health_check_port" { default = "traffic-port" }
variable "health_check_protocol" { default = null }
variable "health_check_timeout" { default = 10 }
variable "health_check_healthy_threshold" { default = 2 }
variable "health_check_unhealthy_threshold" { default = 2 }
variable "health_check_interval" { default = 15 }
variable "health_check_matcher" { default = "200-399" }
variable "stickiness" { default = null }
variable "access_logs_enabled" { default = true }
variable "access_logs_prefix" { default = "" }

locals {
  enabled  = local.label_enabled
  sg_on    = local.enabled && var.security_group_enabled
  tg_on    = local.enabled && var.default_target_group_enabled
  lb_name  = var.load_balancer_name == "" ? local.label_id : var.load_balancer_name
  tg_name  = var.target_group_name == "" ? substr(join(local.label_delimiter, compact([local.label_id, "default"])), 0, 32) : var.target_group_name
  tg_arn   = try(aws_lb_target_group.default[0].arn, null)

  # The module's ingress rules take the IPv4 blocks as cidr_blocks and,
  # for a dualstack load balancer, the IPv6 ones as ipv6_cidr_blocks
  # (cloudposse/terraform-aws-alb#186).
  http_ingress_cidr_blocks_v4  = [for cidr in var.http_ingress_cidr_blocks : cidr if can(cidrnetmask(cidr))]
  http_ingress_cidr_blocks_v6  = var.ip_address_type == "dualstack" ? [for cidr in var.http_ingress_cidr_blocks : cidr if !can(cidrnetmask(cidr)) && can(cidrhost(cidr, 0))] : []
  https_ingress_cidr_blocks_v4 = [for cidr in var.https_ingress_cidr_blocks : cidr if can(cidrnetmask(cidr))]
  https_ingress_cidr_blocks_v6 = var.ip_address_type == "dualstack" ? [for cidr in var.https_ingress_cidr_blocks : cidr if !can(cidrnetmask(cidr)) && can(cidrhost(cidr, 0))] : []
}

resource "aws_security_group" "default" {
  count       = local.sg_on ? 1 : 0
  description = "Controls access to the ALB (HTTP/HTTPS)"
  vpc_id      = var.vpc_id
  name        = local.lb_name
  tags        = local.label_tags
}

resource "aws_security_group_rule" "egress" {
  count             = local.sg_on ? 1 : 0
  type              = "egress"
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.default[0].id
}

resource "aws_security_group_rule" "http_ingress" {
  count             = local.sg_on && var.http_enabled ? 1 : 0
  type              = "ingress"
  from_port         = var.http_port
  to_port           = var.http_port
  protocol          = "tcp"
  cidr_blocks       = local.http_ingress_cidr_blocks_v4
  ipv6_cidr_blocks  = local.http_ingress_cidr_blocks_v6
  prefix_list_ids   = var.http_ingress_prefix_list_ids
  security_group_id = aws_security_group.default[0].id
}

resource "aws_security_group_rule" "https_ingress" {
  count             = local.sg_on && var.https_enabled ? 1 : 0
  type              = "ingress"
  from_port         = var.https_port
  to_port           = var.https_port
  protocol          = "tcp"
  cidr_blocks       = local.https_ingress_cidr_blocks_v4
  ipv6_cidr_blocks  = local.https_ingress_cidr_blocks_v6
  prefix_list_ids   = var.https_ingress_prefix_list_ids
  security_group_id = aws_security_group.default[0].id
}

resource "aws_lb" "default" {
  count              = local.enabled ? 1 : 0
  name               = local.lb_name
  tags               = local.label_tags
  internal           = var.internal
  load_balancer_type = "application"
  security_groups    = compact(concat(var.security_group_ids, [try(aws_security_group.default[0].id, "")]))
  subnets            = var.subnet_ids

  enable_cross_zone_load_balancing = var.cross_zone_load_balancing_enabled
  enable_http2                     = var.http2_enabled
  idle_timeout                     = var.idle_timeout
  ip_address_type                  = var.ip_address_type
  enable_deletion_protection       = var.deletion_protection_enabled
}

resource "aws_lb_target_group" "default" {
  count                = local.tg_on ? 1 : 0
  name                 = local.tg_name
  port                 = var.target_group_port
  protocol             = var.target_group_protocol
  protocol_version     = var.target_group_protocol_version
  vpc_id               = var.vpc_id
  target_type          = var.target_group_target_type
  deregistration_delay = var.deregistration_delay

  health_check {
    protocol            = var.health_check_protocol != null ? var.health_check_protocol : var.target_group_protocol
    path                = var.health_check_path
    port                = var.health_check_port
    timeout             = var.health_check_timeout
    healthy_threshold   = var.health_check_healthy_threshold
    unhealthy_threshold = var.health_check_unhealthy_threshold
    interval            = var.health_check_interval
    matcher             = var.health_check_matcher
  }

  dynamic "stickiness" {
    for_each = var.stickiness == null ? [] : [var.stickiness]
    content {
      type            = "lb_cookie"
      cookie_duration = stickiness.value.cookie_duration
      enabled         = stickiness.value.enabled
    }
  }

  tags = local.label_tags
}

resource "aws_lb_listener" "http_forward" {
  count             = local.enabled && var.http_enabled && var.http_redirect != true ? 1 : 0
  load_balancer_arn = aws_lb.default[0].arn
  port              = var.http_port
  protocol          = "HTTP"

  default_action {
    target_group_arn = var.listener_http_fixed_response != null ? null : local.tg_arn
    type             = var.listener_http_fixed_response != null ? "fixed-response" : "forward"

    dynamic "fixed_response" {
      for_each = var.listener_http_fixed_response != null ? [var.listener_http_fixed_response] : []
      content {
        content_type = fixed_response.value["content_type"]
        message_body = fixed_response.value["message_body"]
        status_code  = fixed_response.value["status_code"]
      }
    }
  }
}

resource "aws_lb_listener" "http_redirect" {
  count             = local.enabled && var.http_enabled && var.http_redirect == true ? 1 : 0
  load_balancer_arn = aws_lb.default[0].arn
  port              = var.http_port
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  count             = local.enabled && var.https_enabled ? 1 : 0
  load_balancer_arn = aws_lb.default[0].arn
  port              = var.https_port
  protocol          = "HTTPS"
  ssl_policy        = var.https_ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    target_group_arn = var.listener_https_fixed_response != null ? null : local.tg_arn
    type             = var.listener_https_fixed_response != null ? "fixed-response" : "forward"

    dynamic "fixed_response" {
      for_each = var.listener_https_fixed_response != null ? [var.listener_https_fixed_response] : []
      content {
        content_type = fixed_response.value["content_type"]
        message_body = fixed_response.value["message_body"]
        status_code  = fixed_response.value["status_code"]
      }
    }
  }
}

resource "aws_lb_listener_certificate" "https_sni" {
  count           = local.enabled && var.https_enabled ? length(var.additional_certs) : 0
  listener_arn    = aws_lb_listener.https[0].arn
  certificate_arn = var.additional_certs[count.index]
}

output "alb_name" { value = try(aws_lb.default[0].name, null) }
output "alb_arn" { value = try(aws_lb.default[0].arn, null) }
output "alb_arn_suffix" { value = try(aws_lb.default[0].arn_suffix, null) }
output "alb_dns_name" { value = try(aws_lb.default[0].dns_name, null) }
output "alb_zone_id" { value = try(aws_lb.default[0].zone_id, null) }
output "security_group_id" { value = try(aws_security_group.default[0].id, null) }
output "default_target_group_arn" { value = local.tg_arn }
output "default_target_group_arn_suffix" { value = try(aws_lb_target_group.default[0].arn_suffix, null) }
output "http_listener_arn" { value = try(coalesce(try(aws_lb_listener.http_forward[0].arn, null), try(aws_lb_listener.http_redirect[0].arn, null)), null) }
output "https_listener_arn" { value = try(aws_lb_listener.https[0].arn, null) }
output "listener_arns" { value = compact(concat(aws_lb_listener.http_forward[*].arn, aws_lb_listener.http_redirect[*].arn, aws_lb_listener.https[*].arn)) }
output "access_logs_bucket_id" { value = null }
