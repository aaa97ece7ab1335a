# An ALB module in the registry module's shape, written for these tests:
# its own security group with map-driven rules, target groups by key.
variable "name" {
  type = string
}
variable "vpc_id" {
  type = string
}
variable "subnets" {
  type = list(string)
}
variable "internal" {
  type    = bool
  default = false
}
variable "security_group_ingress_rules" {
  type    = any
  default = {}
}
variable "security_group_egress_rules" {
  type    = any
  default = {}
}
variable "target_groups" {
  type = map(object({
    port     = number
    path     = string
    protocol = optional(string, "HTTP")
  }))
  default = {}
}

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-"
  description = "Security group for ${var.name} application load balancer"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each = var.security_group_ingress_rules

  security_group_id = aws_security_group.this.id
  ip_protocol       = try(each.value.ip_protocol, "tcp")
  from_port         = try(each.value.from_port, null)
  to_port           = try(each.value.to_port, null)
  cidr_ipv4         = lookup(each.value, "cidr_ipv4", null)
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each = var.security_group_egress_rules

  security_group_id = aws_security_group.this.id
  ip_protocol       = try(each.value.ip_protocol, "tcp")
  from_port         = try(each.value.from_port, null)
  to_port           = try(each.value.to_port, null)
  cidr_ipv4         = lookup(each.value, "cidr_ipv4", null)
}

resource "aws_lb" "this" {
  name               = var.name
  internal           = var.internal
  load_balancer_type = "application"
  security_groups    = [aws_security_group.this.id]
  subnets            = var.subnets
}

resource "aws_lb_target_group" "this" {
  for_each = var.target_groups

  name        = "${var.name}-${each.key}"
  port        = each.value.port
  protocol    = each.value.protocol
  target_type = "ip"
  vpc_id      = var.vpc_id

  health_check {
    path    = "/health"
    matcher = "200"
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "not found"
      status_code  = "404"
    }
  }
}

resource "aws_lb_listener_rule" "this" {
  for_each     = var.target_groups
  listener_arn = aws_lb_listener.http.arn

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[each.key].arn
  }

  condition {
    path_pattern {
      values = [each.value.path]
    }
  }
}

output "dns_name" {
  value = aws_lb.this.dns_name
}
output "arn" {
  value = aws_lb.this.arn
}
output "security_group_id" {
  value = aws_security_group.this.id
}
output "target_groups" {
  value = aws_lb_target_group.this
}
