# ecsnet's stand-in for the registry module terraform-aws-modules/ecs/aws's
# cluster submodule (//modules/cluster), in its v6 interface (name,
# capacity_providers, cluster_capacity_providers,
# default_capacity_provider_strategy) and v5's (cluster_name,
# fargate_capacity_providers, autoscaling_capacity_providers), used when
# `terraform init` has not installed it. Written for ecsnet: it makes the
# cluster, its Auto Scaling group capacity providers and the cluster's
# capacity provider associations.

variable "create" {
  default  = true
  nullable = false
}
variable "name" {
  default = null
}
variable "cluster_name" {
  default = null
}
variable "cluster_settings" {
  default = null
}
variable "cluster_capacity_providers" {
  default  = []
  nullable = false
}
variable "capacity_providers" {
  default  = {}
  nullable = false
}
variable "default_capacity_provider_strategy" {
  default  = {}
  nullable = false
}
variable "default_capacity_provider_use_fargate" {
  default  = true
  nullable = false
}
variable "fargate_capacity_providers" {
  default  = {}
  nullable = false
}
variable "autoscaling_capacity_providers" {
  default  = {}
  nullable = false
}
# The cluster's Service Connect default namespace: v6's
# service_connect_defaults (an object, null by default) and v5's
# cluster_service_connect_defaults (a map, {} by default).
variable "service_connect_defaults" {
  default = null
}
variable "cluster_service_connect_defaults" {
  default  = {}
  nullable = false
}
variable "tags" {
  default  = {}
  nullable = false
}

locals {
  name = coalesce(var.name, var.cluster_name, "ecs")
  # v6's capacity_providers and v5's autoscaling_capacity_providers, as
  # one map of Auto Scaling group providers (v5's entries are the
  # provider itself, v6's hold it under auto_scaling_group_provider).
  # v2 and v3 of the module took capacity_providers as a list of names
  # and default_capacity_provider_strategy as a list of objects; v4 a map of Auto Scaling
  # group providers (auto_scaling_group_arn at the top, as v5's
  # autoscaling_capacity_providers), v6 a map holding them under
  # auto_scaling_group_provider.
  v2_names      = can(tolist(var.capacity_providers)) ? tolist(var.capacity_providers) : []
  provider_map  = { for k, v in var.capacity_providers : k => v if !can(tolist(var.capacity_providers)) }
  v4_providers  = { for k, v in local.provider_map : k => v if contains(keys(v), "auto_scaling_group_arn") }
  asg_providers = merge(
    { for k, v in local.provider_map : k => merge(v.auto_scaling_group_provider, { name = lookup(v, "name", k) }) if contains(keys(v), "auto_scaling_group_provider") },
    { for k, v in merge(local.v4_providers, var.autoscaling_capacity_providers) : k => merge(v, { name = lookup(v, "name", k) }) },
  )
  # The default strategy: v2's one object, v6's map, else v4's and v5's
  # per-provider entries (the Fargate providers only with
  # default_capacity_provider_use_fargate).
  # v2 and v3 took a list of strategy objects (list(map(any))); one
  # object is taken as a list of one.
  v2_list = concat(
    [for s in var.default_capacity_provider_strategy : s if can(var.default_capacity_provider_strategy[0])],
    [for s in [var.default_capacity_provider_strategy] : s if can(s.capacity_provider)],
  )
  v2_strategy = length(local.v2_list) > 0 ? {
    for s in local.v2_list : s.capacity_provider => {
      name   = s.capacity_provider
      weight = lookup(s, "weight", null)
      base   = lookup(s, "base", null)
    }
  } : null
  strategy = local.v2_strategy != null ? local.v2_strategy : length(var.default_capacity_provider_strategy) > 0 ? {
    for k, v in var.default_capacity_provider_strategy : k => { name = lookup(v, "name", k), weight = lookup(v, "weight", null), base = lookup(v, "base", null) }
    } : merge(
    { for k, v in var.fargate_capacity_providers : k => { name = k, weight = lookup(v.default_capacity_provider_strategy, "weight", null), base = lookup(v.default_capacity_provider_strategy, "base", null) } if var.default_capacity_provider_use_fargate && contains(keys(v), "default_capacity_provider_strategy") },
    { for k, v in merge(local.v4_providers, var.autoscaling_capacity_providers) : k => { name = lookup(v, "name", k), weight = lookup(v.default_capacity_provider_strategy, "weight", null), base = lookup(v.default_capacity_provider_strategy, "base", null) } if contains(keys(v), "default_capacity_provider_strategy") },
  )
  service_connect_defaults = var.service_connect_defaults != null ? var.service_connect_defaults : length(var.cluster_service_connect_defaults) > 0 ? var.cluster_service_connect_defaults : null
  cluster_providers        = distinct(concat(var.cluster_capacity_providers, local.v2_names, keys(var.fargate_capacity_providers), [for k, v in local.asg_providers : v.name], [for k, v in local.provider_map : lookup(v, "name", k) if contains(keys(v), "managed_instances_provider")]))
}

resource "aws_ecs_cluster" "this" {
  count = var.create ? 1 : 0
  name  = local.name
  dynamic "service_connect_defaults" {
    for_each = local.service_connect_defaults != null ? [local.service_connect_defaults] : []
    content {
      namespace = service_connect_defaults.value.namespace
    }
  }
  tags = var.tags
}

# v6's ECS Managed Instances providers, of the cluster: ECS launches the
# instances in the network configuration's subnets. The module makes the
# infrastructure role ("<name>-infra") and the node instance profile
# unless given ARNs; the stand-in names them by those ARNs (ecsnet's ECS
# does not look roles up), and uses the given security groups only (the
# module's own security group is not made).
data "aws_caller_identity" "mi" {}

locals {
  mi_providers = { for k, v in local.provider_map : k => v if contains(keys(v), "managed_instances_provider") }
}

resource "aws_ecs_capacity_provider" "managed_instances" {
  for_each = { for k, v in local.mi_providers : k => v if var.create }
  name     = lookup(each.value, "name", each.key)
  cluster  = aws_ecs_cluster.this[0].name
  managed_instances_provider {
    infrastructure_role_arn = coalesce(lookup(each.value.managed_instances_provider, "infrastructure_role_arn", null), "arn:aws:iam::${data.aws_caller_identity.mi.account_id}:role/${local.name}-infra")
    propagate_tags          = lookup(each.value.managed_instances_provider, "propagate_tags", null)
    dynamic "infrastructure_optimization" {
      for_each = lookup(each.value.managed_instances_provider, "infrastructure_optimization", null) != null ? [each.value.managed_instances_provider.infrastructure_optimization] : []
      content {
        scale_in_after = lookup(infrastructure_optimization.value, "scale_in_after", null)
      }
    }
    instance_launch_template {
      ec2_instance_profile_arn = coalesce(lookup(lookup(each.value.managed_instances_provider, "instance_launch_template", {}), "ec2_instance_profile_arn", null), "arn:aws:iam::${data.aws_caller_identity.mi.account_id}:instance-profile/${local.name}-node")
      monitoring               = lookup(lookup(each.value.managed_instances_provider, "instance_launch_template", {}), "monitoring", null)
      network_configuration {
        subnets         = lookup(lookup(lookup(each.value.managed_instances_provider, "instance_launch_template", {}), "network_configuration", {}), "subnets", [])
        security_groups = lookup(lookup(lookup(each.value.managed_instances_provider, "instance_launch_template", {}), "network_configuration", {}), "security_groups", [])
      }
    }
  }
  tags = merge(var.tags, lookup(each.value, "tags", {}))
}

resource "aws_ecs_capacity_provider" "this" {
  for_each = { for k, v in local.asg_providers : k => v if var.create }
  name     = each.value.name
  auto_scaling_group_provider {
    auto_scaling_group_arn         = each.value.auto_scaling_group_arn
    managed_termination_protection = lookup(each.value, "managed_termination_protection", null)
    dynamic "managed_scaling" {
      for_each = contains(keys(each.value), "managed_scaling") ? [each.value.managed_scaling] : []
      content {
        status                    = lookup(managed_scaling.value, "status", null)
        target_capacity           = lookup(managed_scaling.value, "target_capacity", null)
        maximum_scaling_step_size = lookup(managed_scaling.value, "maximum_scaling_step_size", null)
        minimum_scaling_step_size = lookup(managed_scaling.value, "minimum_scaling_step_size", null)
      }
    }
  }
  tags = var.tags
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  count              = var.create && length(local.cluster_providers) > 0 ? 1 : 0
  cluster_name       = aws_ecs_cluster.this[0].name
  capacity_providers = local.cluster_providers
  dynamic "default_capacity_provider_strategy" {
    for_each = local.strategy
    content {
      capacity_provider = default_capacity_provider_strategy.value.name
      weight            = default_capacity_provider_strategy.value.weight
      base              = default_capacity_provider_strategy.value.base
    }
  }
  depends_on = [aws_ecs_capacity_provider.this, aws_ecs_capacity_provider.managed_instances]
}

output "arn" { value = try(aws_ecs_cluster.this[0].arn, null) }
output "id" { value = try(aws_ecs_cluster.this[0].id, null) }
output "name" { value = try(aws_ecs_cluster.this[0].name, null) }
output "cluster_arn" { value = try(aws_ecs_cluster.this[0].arn, null) }
output "cluster_id" { value = try(aws_ecs_cluster.this[0].id, null) }
output "cluster_name" { value = try(aws_ecs_cluster.this[0].name, null) }
output "capacity_providers" { value = aws_ecs_capacity_provider.this }
output "autoscaling_capacity_providers" { value = aws_ecs_capacity_provider.this }
output "cluster_capacity_providers" { value = aws_ecs_cluster_capacity_providers.this }
