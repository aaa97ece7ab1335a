# ecsnet's stand-in for cloudposse/ecs-alb-service-task/aws (0.55 and
# later), used when `terraform init` has not installed it: the task
# definition (family the label's id, container_definition_json, the
# launch type's compatibility, network mode, task cpu and memory), the
# service's security group in awsvpc mode (all egress, ICMP from
# anywhere, all TCP from alb_security_group when use_alb_security_group,
# the containers' load-balanced ports from nlb_cidr_blocks when
# use_nlb_cidr_blocks), and the service named after the label (launch
# type or capacity provider strategies, subnets, the given groups and its
# own, public IP, load balancers, service registries, deployment
# percents), as the module makes them. Its IAM roles, exec and autoscaling
# are not made. Other arguments are ignored, with a warning.

variable "container_definition_json" {}
variable "ecs_cluster_arn" {}
variable "vpc_id" {}
variable "subnet_ids" { default = null }
variable "security_group_ids" { default = [] }
variable "security_group_enabled" { default = true }
variable "enable_all_egress_rule" { default = true }
variable "enable_icmp_rule" { default = true }
variable "use_alb_security_group" { default = false }
variable "alb_security_group" { default = "" }
variable "use_nlb_cidr_blocks" { default = false }
variable "nlb_cidr_blocks" { default = [] }
variable "nlb_container_port" { default = 80 }
variable "launch_type" { default = "FARGATE" }
variable "network_mode" { default = "awsvpc" }
variable "task_cpu" { default = 256 }
variable "task_memory" { default = 512 }
variable "desired_count" { default = 1 }
variable "assign_public_ip" { default = false }
variable "ecs_load_balancers" { default = [] }
variable "service_registries" { default = [] }
variable "capacity_provider_strategies" { default = [] }
variable "platform_version" { default = "LATEST" }
variable "deployment_maximum_percent" { default = 200 }
variable "deployment_minimum_healthy_percent" { default = 100 }
variable "health_check_grace_period_seconds" { default = 0 }
variable "ecs_service_enabled" { default = true }
variable "task_exec_role_arn" { default = "" }
variable "task_role_arn" { default = "" }
variable "ignore_changes_task_definition" { default = true }
variable "ignore_changes_desired_count" { default = false }
# The deployment the module passes on: its controller (ECS, CODE_DEPLOY or
# EXTERNAL) and ECS's own blue/green (deployment_configuration, with each
# load balancer's advanced_configuration), and the tags' propagation.
variable "deployment_controller_type" { default = "ECS" }
variable "deployment_configuration" { default = null }
variable "propagate_tags" { default = null }

locals {
  awsvpc       = var.network_mode == "awsvpc"
  sg_enabled   = local.label_enabled && var.security_group_enabled && local.awsvpc
  service_sg   = try(aws_security_group.ecs_service[0].id, "")
  exec_role    = var.task_exec_role_arn != "" ? var.task_exec_role_arn : null
  task_role    = var.task_role_arn != "" ? var.task_role_arn : null
  use_strategy = length(var.capacity_provider_strategies) > 0
}

resource "aws_ecs_task_definition" "default" {
  count                    = local.label_enabled ? 1 : 0
  family                   = local.label_id
  container_definitions    = var.container_definition_json
  requires_compatibilities = [var.launch_type]
  network_mode             = var.network_mode
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = local.exec_role
  task_role_arn            = local.task_role
  tags                     = local.label_tags
}

resource "aws_security_group" "ecs_service" {
  count       = local.sg_enabled ? 1 : 0
  vpc_id = var.vpc_id
  # The module's service_label: the label with the attribute "service".
  name        = join(local.label_delimiter, compact([local.label_id, "service"]))
  description = "Allow ALL egress from ECS service"
  tags        = local.label_tags
}

resource "aws_security_group_rule" "allow_all_egress" {
  count             = local.sg_enabled && var.enable_all_egress_rule ? 1 : 0
  type              = "egress"
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = local.service_sg
}

resource "aws_security_group_rule" "allow_icmp_ingress" {
  count             = local.sg_enabled && var.enable_icmp_rule ? 1 : 0
  type              = "ingress"
  from_port         = 8
  to_port           = 0
  protocol          = "icmp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = local.service_sg
}

resource "aws_security_group_rule" "alb" {
  count                    = local.sg_enabled && var.use_alb_security_group ? 1 : 0
  type                     = "ingress"
  from_port                = 0
  to_port                  = 65535
  protocol                 = "tcp"
  source_security_group_id = var.alb_security_group
  security_group_id        = local.service_sg
}

resource "aws_security_group_rule" "nlb" {
  count             = local.sg_enabled && var.use_nlb_cidr_blocks ? 1 : 0
  type              = "ingress"
  from_port         = var.nlb_container_port
  to_port           = var.nlb_container_port
  protocol          = "tcp"
  cidr_blocks       = var.nlb_cidr_blocks
  security_group_id = local.service_sg
}

resource "aws_ecs_service" "default" {
  count                              = local.label_enabled && var.ecs_service_enabled ? 1 : 0
  name                               = local.label_id
  cluster                            = var.ecs_cluster_arn
  task_definition                    = "${aws_ecs_task_definition.default[0].family}:${aws_ecs_task_definition.default[0].revision}"
  desired_count                      = var.desired_count
  launch_type                        = local.use_strategy ? null : var.launch_type
  platform_version                   = var.launch_type == "FARGATE" ? var.platform_version : null
  deployment_maximum_percent         = var.deployment_maximum_percent
  deployment_minimum_healthy_percent = var.deployment_minimum_healthy_percent
  health_check_grace_period_seconds  = length(var.ecs_load_balancers) > 0 ? var.health_check_grace_period_seconds : null
  propagate_tags                     = var.propagate_tags
  tags                               = local.label_tags

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategies
    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
      base              = lookup(capacity_provider_strategy.value, "base", null)
    }
  }

  dynamic "load_balancer" {
    for_each = var.ecs_load_balancers
    content {
      container_name   = load_balancer.value.container_name
      container_port   = load_balancer.value.container_port
      elb_name         = lookup(load_balancer.value, "elb_name", null)
      target_group_arn = lookup(load_balancer.value, "target_group_arn", null)

      dynamic "advanced_configuration" {
        for_each = lookup(load_balancer.value, "advanced_configuration", null) != null ? [load_balancer.value.advanced_configuration] : []
        content {
          alternate_target_group_arn = advanced_configuration.value.alternate_target_group_arn
          production_listener_rule   = advanced_configuration.value.production_listener_rule
          role_arn                   = advanced_configuration.value.role_arn
          test_listener_rule         = lookup(advanced_configuration.value, "test_listener_rule", null)
        }
      }
    }
  }

  deployment_controller {
    type = var.deployment_controller_type
  }

  dynamic "deployment_configuration" {
    for_each = var.deployment_configuration != null ? [var.deployment_configuration] : []
    content {
      strategy             = lookup(deployment_configuration.value, "strategy", null)
      bake_time_in_minutes = lookup(deployment_configuration.value, "bake_time_in_minutes", null)
    }
  }

  dynamic "service_registries" {
    for_each = var.service_registries
    content {
      registry_arn   = service_registries.value.registry_arn
      port           = lookup(service_registries.value, "port", null)
      container_name = lookup(service_registries.value, "container_name", null)
      container_port = lookup(service_registries.value, "container_port", null)
    }
  }

  dynamic "network_configuration" {
    for_each = local.awsvpc ? [1] : []
    content {
      security_groups  = compact(concat(var.security_group_ids, [local.service_sg]))
      subnets          = var.subnet_ids
      assign_public_ip = var.assign_public_ip
    }
  }
}

output "service_name" { value = try(aws_ecs_service.default[0].name, null) }
output "service_arn" { value = try(aws_ecs_service.default[0].id, null) }
output "task_definition_family" { value = try(aws_ecs_task_definition.default[0].family, null) }
output "task_definition_revision" { value = try(aws_ecs_task_definition.default[0].revision, null) }
output "task_definition_arn" { value = try(aws_ecs_task_definition.default[0].arn, null) }
output "service_security_group_id" { value = local.service_sg }
output "ecs_exec_role_policy_id" { value = null }
output "task_role_arn" { value = local.task_role }
output "task_exec_role_arn" { value = local.exec_role }
