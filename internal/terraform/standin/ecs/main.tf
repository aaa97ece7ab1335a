# ecsnet's stand-in for the registry module terraform-aws-modules/ecs/aws
# (the root module: a cluster and a map of services), used when
# `terraform init` has not installed it. Written for ecsnet: it calls the
# cluster and service stand-ins as the module calls its submodules.

variable "create" {
  default  = true
  nullable = false
}
variable "cluster_name" {
  default = null
}
# v2's names: name, create_ecs (and container_insights, a setting).
variable "name" {
  default = null
}
variable "create_ecs" {
  default  = true
  nullable = false
}
variable "container_insights" {
  default  = false
  nullable = false
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
variable "cluster_service_connect_defaults" {
  default  = {}
  nullable = false
}
variable "services" {
  default  = {}
  nullable = false
}
# The release the call installs, passed on to the service stand-in (its
# container_definitions keys depend on it).
variable "ecsnet_module_major" { default = 0 }
variable "tags" {
  default  = {}
  nullable = false
}

module "cluster" {
  source = "terraform-aws-modules/ecs/aws//modules/cluster"

  create                                = var.create && var.create_ecs
  cluster_name                          = var.cluster_name != null ? var.cluster_name : var.name
  cluster_capacity_providers            = var.cluster_capacity_providers
  capacity_providers                    = var.capacity_providers
  default_capacity_provider_strategy    = var.default_capacity_provider_strategy
  default_capacity_provider_use_fargate = var.default_capacity_provider_use_fargate
  fargate_capacity_providers            = var.fargate_capacity_providers
  autoscaling_capacity_providers        = var.autoscaling_capacity_providers
  cluster_service_connect_defaults      = var.cluster_service_connect_defaults
  tags                                  = var.tags
}

module "service" {
  source   = "terraform-aws-modules/ecs/aws//modules/service"
  for_each = { for k, v in var.services : k => v if var.create && var.create_ecs }

  name                              = try(each.value.name, each.key)
  ecsnet_module_major               = var.ecsnet_module_major
  cluster_arn                       = module.cluster.arn
  create                            = try(each.value.create, null)
  create_service                    = try(each.value.create_service, null)
  desired_count                     = try(each.value.desired_count, null)
  launch_type                       = try(each.value.launch_type, null)
  platform_version                  = try(each.value.platform_version, null)
  scheduling_strategy               = try(each.value.scheduling_strategy, null)
  enable_execute_command            = try(each.value.enable_execute_command, null)
  capacity_provider_strategy        = try(each.value.capacity_provider_strategy, null)
  load_balancer                     = try(each.value.load_balancer, null)
  service_registries                = try(each.value.service_registries, null)
  service_connect_configuration     = try(each.value.service_connect_configuration, null)
  health_check_grace_period_seconds = try(each.value.health_check_grace_period_seconds, null)
  deployment_controller             = try(each.value.deployment_controller, null)
  deployment_configuration          = try(each.value.deployment_configuration, null)
  availability_zone_rebalancing     = try(each.value.availability_zone_rebalancing, null)
  ordered_placement_strategy        = try(each.value.ordered_placement_strategy, null)
  placement_constraints             = try(each.value.placement_constraints, null)
  network_mode                      = try(each.value.network_mode, null)
  assign_public_ip                  = try(each.value.assign_public_ip, null)
  subnet_ids                        = try(each.value.subnet_ids, null)
  vpc_id                            = try(each.value.vpc_id, null)
  security_group_ids                = try(each.value.security_group_ids, null)
  create_security_group             = try(each.value.create_security_group, null)
  security_group_name               = try(each.value.security_group_name, null)
  security_group_use_name_prefix    = try(each.value.security_group_use_name_prefix, null)
  security_group_description        = try(each.value.security_group_description, null)
  security_group_ingress_rules      = try(each.value.security_group_ingress_rules, null)
  security_group_egress_rules       = try(each.value.security_group_egress_rules, null)
  security_group_rules              = try(each.value.security_group_rules, null)
  create_task_definition            = try(each.value.create_task_definition, null)
  task_definition_arn               = try(each.value.task_definition_arn, null)
  family                            = try(each.value.family, null)
  cpu                               = try(each.value.cpu, null)
  memory                            = try(each.value.memory, null)
  requires_compatibilities          = try(each.value.requires_compatibilities, null)
  container_definitions             = try(each.value.container_definitions, null)
  tags                              = var.tags
  service_tags                      = try(each.value.service_tags, null)
}

output "cluster_arn" { value = module.cluster.arn }
output "this_ecs_cluster_id" { value = module.cluster.id }
output "this_ecs_cluster_arn" { value = module.cluster.arn }
output "this_ecs_cluster_name" { value = module.cluster.name }
# v3's (v3.0 dropped the this_ prefix; v4 renamed them cluster_*).
output "ecs_cluster_id" { value = module.cluster.id }
output "ecs_cluster_arn" { value = module.cluster.arn }
output "ecs_cluster_name" { value = module.cluster.name }
output "cluster_id" { value = module.cluster.id }
output "cluster_name" { value = module.cluster.name }
output "cluster_capacity_providers" { value = module.cluster.cluster_capacity_providers }
output "capacity_providers" { value = module.cluster.capacity_providers }
output "autoscaling_capacity_providers" { value = module.cluster.autoscaling_capacity_providers }
output "services" { value = module.service }
# The module's shared task execution role is not modelled (IAM).
output "task_exec_iam_role_arn" { value = null }
output "task_exec_iam_role_name" { value = null }
