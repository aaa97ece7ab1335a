# ecsnet's stand-in for the registry module terraform-aws-modules/ecs/aws's
# service submodule (//modules/service), in its v6 interface and the v5
# one it grew from, used when `terraform init` has not installed it.
# Written for ecsnet: it makes the task definition (its container
# definitions, camelCase as in v6 or snake_case as in v5), the service
# (awsvpc network configuration, load balancers with a blue/green
# advanced configuration, capacity provider strategy, service registries,
# the deployment configuration) and its security group with its rules
# (security_group_ingress_rules/_egress_rules as in v6, or the v5
# security_group_rules map). Every variable is non-nullable so that the
# root module's services map can pass null for what it does not set.

variable "create" {
  default  = true
  nullable = false
}
variable "create_service" {
  default  = true
  nullable = false
}
variable "name" {
  default = null
}
variable "cluster_arn" {
  default  = ""
  nullable = false
}
variable "desired_count" {
  default  = 1
  nullable = false
}
variable "launch_type" {
  default  = "FARGATE"
  nullable = false
}
variable "platform_version" {
  default = null
}
variable "scheduling_strategy" {
  default = null
}
variable "enable_execute_command" {
  default  = false
  nullable = false
}
variable "capacity_provider_strategy" {
  default  = {}
  nullable = false
}
variable "load_balancer" {
  default  = {}
  nullable = false
}
variable "service_registries" {
  default = null
}
variable "service_connect_configuration" {
  default = null
}
variable "health_check_grace_period_seconds" {
  default = null
}
variable "deployment_controller" {
  default = null
}
# v6: the ECS deployment strategy (ROLLING, BLUE_GREEN, LINEAR, CANARY),
# its bake time, shifts and lifecycle hooks (a map).
variable "deployment_configuration" {
  default = null
}
variable "availability_zone_rebalancing" {
  default = null
}
variable "ordered_placement_strategy" {
  default  = {}
  nullable = false
}
variable "placement_constraints" {
  default  = {}
  nullable = false
}
variable "network_mode" {
  default  = "awsvpc"
  nullable = false
}
variable "assign_public_ip" {
  default  = false
  nullable = false
}
variable "subnet_ids" {
  default  = []
  nullable = false
}
variable "vpc_id" {
  default = null
}
variable "security_group_ids" {
  default  = []
  nullable = false
}
variable "create_security_group" {
  default  = true
  nullable = false
}
variable "security_group_name" {
  default = null
}
variable "security_group_use_name_prefix" {
  default  = true
  nullable = false
}
variable "security_group_description" {
  default = null
}
variable "security_group_ingress_rules" {
  default  = {}
  nullable = false
}
variable "security_group_egress_rules" {
  default  = {}
  nullable = false
}
variable "security_group_rules" {
  default  = {}
  nullable = false
}
variable "create_task_definition" {
  default  = true
  nullable = false
}
variable "task_definition_arn" {
  default = null
}
variable "family" {
  default = null
}
variable "cpu" {
  default  = 1024
  nullable = false
}
variable "memory" {
  default  = 2048
  nullable = false
}
variable "requires_compatibilities" {
  default  = ["FARGATE"]
  nullable = false
}
# The module's default names X86_64 and LINUX (v5 and v6 alike): its
# tasks go only on x86_64 instances unless the call says otherwise.
variable "runtime_platform" {
  type = any
  default = {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}
variable "container_definitions" {
  default  = {}
  nullable = false
}

# The release the call installs (0: not known, both spellings read). v6
# types container_definitions as objects of ECS's camelCase keys, and
# Terraform drops the other attributes of a value it converts; v5 takes
# any value and reads the snake_case keys only. So a v5 key in a v6 call
# (port_mappings), or a v6 key in a v5 call (portMappings), is lost.
variable "ecsnet_module_major" { default = 0 }

# The task definition's volumes, by key (v5 and v6): the name defaults to
# the key; a bind mount's host_path is read (the other volume types'
# configurations are not modelled).
variable "volume" {
  type     = any
  default  = {}
  nullable = false
}
variable "tags" {
  default  = {}
  nullable = false
}
# The module's task execution role and tasks role (made unless told not
# to, or given): Fargate refuses an ECR image without an execution role.
variable "create_task_exec_iam_role" {
  default  = true
  nullable = false
}
variable "task_exec_iam_role_arn" {
  default = null
}
variable "create_tasks_iam_role" {
  default  = true
  nullable = false
}
variable "tasks_iam_role_arn" {
  default = null
}
variable "service_tags" {
  default  = {}
  nullable = false
}

locals {
  create_sg = var.create && var.create_security_group && var.network_mode == "awsvpc"
  sg_name   = try(coalesce(var.security_group_name, var.name), "")
  vpc_id    = var.vpc_id != null ? var.vpc_id : try(data.aws_subnet.this[0].vpc_id, null)
  # The module's container-definition submodule gives each container
  # the awslogs driver by default (enable_cloudwatch_logging and
  # create_cloudwatch_log_group, both true by default), writing to a log
  # group it creates: cloudwatch_log_group_name, else
  # /aws/ecs/<service>/<container>, in the current region, stream prefix
  # ecs. The container's own logConfiguration (v6) or log_configuration
  # (v5) is merged over it.
  logging = { for k, c in var.container_definitions : k => {
    enabled = coalesce(try(c.enable_cloudwatch_logging, null), true) && coalesce(try(c.create_cloudwatch_log_group, null), true)
    group   = coalesce(try(c.cloudwatch_log_group_name, null), "/aws/ecs/${coalesce(var.name, "")}/${coalesce(try(c.name, null), k)}")
    prefix  = coalesce(try(c.cloudwatch_log_group_use_name_prefix, null), false)
    days    = coalesce(try(c.cloudwatch_log_group_retention_in_days, null), 30)
  } }
  v6 = var.ecsnet_module_major == 0 || var.ecsnet_module_major >= 6
  v5 = var.ecsnet_module_major == 0 || var.ecsnet_module_major < 6
  # Each container as ECS takes it: the v6 camelCase keys, or v5's
  # snake_case ones; the module's own keys (enable_cloudwatch_logging, …)
  # are left out.
  containers = [for k, c in var.container_definitions : { for a, v in {
    name              = try(c.name, k)
    image             = try(c.image, null)
    essential         = try(c.essential, true)
    cpu               = try(c.cpu, null)
    memory            = try(c.memory, null)
    memoryReservation = local.v6 && can(c.memoryReservation) ? c.memoryReservation : local.v5 ? try(c.memory_reservation, null) : null
    portMappings      = local.v6 && can(c.portMappings) ? c.portMappings : local.v5 ? try(c.port_mappings, []) : []
    dockerLabels      = local.v6 && can(c.dockerLabels) ? c.dockerLabels : local.v5 ? try(c.docker_labels, null) : null
    # The container-definition submodule types environment and secrets
    # as lists of objects of strings: Terraform converts numbers and
    # booleans given there to strings.
    environment = try([for e in c.environment : { name = tostring(e.name), value = tostring(e.value) }], null)
    command           = try(c.command, null)
    entryPoint        = local.v6 && can(c.entryPoint) ? c.entryPoint : local.v5 ? try(c.entrypoint, null) : null
    healthCheck       = local.v6 && can(c.healthCheck) ? c.healthCheck : local.v5 ? try(c.health_check, null) : null
    links             = try(c.links, null)
    user              = try(c.user, null)
    secrets           = try([for e in c.secrets : { name = tostring(e.name), valueFrom = tostring(e.valueFrom) }], null)
    mountPoints       = local.v6 && can(c.mountPoints) ? c.mountPoints : local.v5 ? try(c.mount_points, null) : null
    volumesFrom       = local.v6 && can(c.volumesFrom) ? c.volumesFrom : local.v5 ? try(c.volumes_from, null) : null
    dependsOn              = local.v6 && can(c.dependsOn) ? c.dependsOn : local.v5 ? try(c.dependencies, null) : null
    firelensConfiguration  = local.v6 && can(c.firelensConfiguration) ? c.firelensConfiguration : local.v5 ? try(c.firelens_configuration, null) : null
    readonlyRootFilesystem = local.v6 && can(c.readonlyRootFilesystem) ? c.readonlyRootFilesystem : local.v5 ? try(c.readonly_root_filesystem, null) : null
    restartPolicy          = local.v6 && can(c.restartPolicy) ? c.restartPolicy : null
    # Both branches as JSON text: a given log_configuration is an object
    # of other attributes than the module's own (logDriver alone, without
    # options), which a conditional cannot unify.
    logConfiguration = jsondecode(local.logging[k].enabled ? jsonencode(merge({
      logDriver = "awslogs"
      options = {
        awslogs-region        = data.aws_region.current.name
        awslogs-group         = try(aws_cloudwatch_log_group.this[k].name, local.logging[k].group)
        awslogs-stream-prefix = "ecs"
      }
    }, local.v6 ? try(c.logConfiguration, null) : null, local.v5 ? try(c.log_configuration, null) : null)) : jsonencode(local.v6 && can(c.logConfiguration) ? c.logConfiguration : local.v5 ? try(c.log_configuration, null) : null))
  } : a => v if v != null }]
}

data "aws_region" "current" {}

resource "aws_cloudwatch_log_group" "this" {
  for_each          = { for k, v in local.logging : k => v if var.create && var.create_task_definition && v.enabled }
  name              = each.value.prefix ? null : each.value.group
  name_prefix       = each.value.prefix ? "${each.value.group}-" : null
  retention_in_days = each.value.days
  tags              = var.tags
}

data "aws_subnet" "this" {
  count = local.create_sg && var.vpc_id == null && length(var.subnet_ids) > 0 ? 1 : 0
  id    = element(var.subnet_ids, 0)
}

resource "aws_security_group" "this" {
  count       = local.create_sg ? 1 : 0
  name        = var.security_group_use_name_prefix ? null : local.sg_name
  name_prefix = var.security_group_use_name_prefix ? "${local.sg_name}-" : null
  description = coalesce(var.security_group_description, "Amazon ECS service security group")
  vpc_id      = local.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each                     = { for k, v in var.security_group_ingress_rules : k => v if local.create_sg }
  security_group_id            = aws_security_group.this[0].id
  cidr_ipv4                    = lookup(each.value, "cidr_ipv4", null)
  cidr_ipv6                    = lookup(each.value, "cidr_ipv6", null)
  prefix_list_id               = lookup(each.value, "prefix_list_id", null)
  referenced_security_group_id = lookup(each.value, "referenced_security_group_id", null) == "self" ? aws_security_group.this[0].id : lookup(each.value, "referenced_security_group_id", null)
  from_port                    = lookup(each.value, "from_port", null)
  to_port                      = try(coalesce(lookup(each.value, "to_port", null), lookup(each.value, "from_port", null)), null)
  ip_protocol                  = lookup(each.value, "ip_protocol", "tcp")
  description                  = lookup(each.value, "description", null)
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each                     = { for k, v in var.security_group_egress_rules : k => v if local.create_sg }
  security_group_id            = aws_security_group.this[0].id
  cidr_ipv4                    = lookup(each.value, "cidr_ipv4", null)
  cidr_ipv6                    = lookup(each.value, "cidr_ipv6", null)
  prefix_list_id               = lookup(each.value, "prefix_list_id", null)
  referenced_security_group_id = lookup(each.value, "referenced_security_group_id", null) == "self" ? aws_security_group.this[0].id : lookup(each.value, "referenced_security_group_id", null)
  from_port                    = lookup(each.value, "from_port", null)
  to_port                      = try(coalesce(lookup(each.value, "to_port", null), lookup(each.value, "from_port", null)), null)
  ip_protocol                  = lookup(each.value, "ip_protocol", "tcp")
  description                  = lookup(each.value, "description", null)
}

# v5's rules: one map of ingress and egress rules.
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

resource "aws_iam_role" "task_exec" {
  count       = var.create && var.create_task_definition && var.create_task_exec_iam_role ? 1 : 0
  name_prefix = "${substr(coalesce(var.family, var.name, "ecs"), 0, 20)}-exec-"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
  tags = var.tags
}

resource "aws_iam_role" "tasks" {
  count       = var.create && var.create_task_definition && var.create_tasks_iam_role ? 1 : 0
  name_prefix = "${substr(coalesce(var.family, var.name, "ecs"), 0, 20)}-tasks-"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
  tags = var.tags
}

locals {
  task_exec_role_arn = var.create_task_exec_iam_role ? try(aws_iam_role.task_exec[0].arn, null) : var.task_exec_iam_role_arn
  tasks_role_arn     = var.create_tasks_iam_role ? try(aws_iam_role.tasks[0].arn, null) : var.tasks_iam_role_arn
}

resource "aws_ecs_task_definition" "this" {
  count                    = var.create && var.create_task_definition ? 1 : 0
  family                   = coalesce(var.family, var.name)
  container_definitions    = jsonencode(local.containers)
  cpu                      = var.cpu
  memory                   = var.memory
  network_mode             = var.network_mode
  requires_compatibilities = var.requires_compatibilities
  execution_role_arn       = local.task_exec_role_arn
  task_role_arn            = local.tasks_role_arn
  dynamic "volume" {
    for_each = var.volume
    content {
      name      = try(volume.value.name, volume.key)
      host_path = try(volume.value.host_path, null)
    }
  }
  dynamic "runtime_platform" {
    for_each = var.runtime_platform == null ? [] : [var.runtime_platform]
    content {
      cpu_architecture        = lookup(runtime_platform.value, "cpu_architecture", null)
      operating_system_family = lookup(runtime_platform.value, "operating_system_family", null)
    }
  }
  tags = var.tags
}

resource "aws_ecs_service" "this" {
  count                             = var.create && var.create_service ? 1 : 0
  name                              = var.name
  cluster                           = var.cluster_arn
  task_definition                   = var.create_task_definition ? aws_ecs_task_definition.this[0].arn : var.task_definition_arn
  desired_count                     = var.desired_count
  launch_type                       = length(var.capacity_provider_strategy) > 0 ? null : var.launch_type
  platform_version                  = var.platform_version
  scheduling_strategy               = var.scheduling_strategy
  enable_execute_command            = var.enable_execute_command
  health_check_grace_period_seconds = var.health_check_grace_period_seconds
  availability_zone_rebalancing     = var.availability_zone_rebalancing

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy
    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = lookup(capacity_provider_strategy.value, "weight", null)
      base              = lookup(capacity_provider_strategy.value, "base", null)
    }
  }

  dynamic "network_configuration" {
    for_each = var.network_mode == "awsvpc" ? [1] : []
    content {
      subnets          = var.subnet_ids
      security_groups  = compact(concat(var.security_group_ids, aws_security_group.this[*].id))
      assign_public_ip = var.assign_public_ip
    }
  }

  dynamic "load_balancer" {
    for_each = var.load_balancer
    content {
      target_group_arn = lookup(load_balancer.value, "target_group_arn", null)
      elb_name         = lookup(load_balancer.value, "elb_name", null)
      container_name   = load_balancer.value.container_name
      container_port   = load_balancer.value.container_port

      # v6: the alternate target group and listener rules ECS shifts
      # between in a blue/green deployment.
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

  dynamic "service_registries" {
    for_each = var.service_registries != null ? [var.service_registries] : []
    content {
      registry_arn   = service_registries.value.registry_arn
      port           = lookup(service_registries.value, "port", null)
      container_name = lookup(service_registries.value, "container_name", null)
      container_port = lookup(service_registries.value, "container_port", null)
    }
  }

  dynamic "service_connect_configuration" {
    for_each = var.service_connect_configuration != null ? [var.service_connect_configuration] : []
    content {
      enabled   = lookup(service_connect_configuration.value, "enabled", true)
      namespace = lookup(service_connect_configuration.value, "namespace", null)

      # v6 takes a list of services, v5 one object.
      dynamic "service" {
        for_each = flatten([lookup(service_connect_configuration.value, "service", [])])
        content {
          port_name             = service.value.port_name
          discovery_name        = lookup(service.value, "discovery_name", null)
          ingress_port_override = lookup(service.value, "ingress_port_override", null)

          dynamic "client_alias" {
            for_each = lookup(service.value, "client_alias", null) != null ? [service.value.client_alias] : []
            content {
              port     = client_alias.value.port
              dns_name = lookup(client_alias.value, "dns_name", null)
            }
          }

          dynamic "timeout" {
            for_each = lookup(service.value, "timeout", null) != null ? [service.value.timeout] : []
            content {
              idle_timeout_seconds        = lookup(timeout.value, "idle_timeout_seconds", null)
              per_request_timeout_seconds = lookup(timeout.value, "per_request_timeout_seconds", null)
            }
          }

          # TLS between the Service Connect proxies, as the module passes it.
          dynamic "tls" {
            for_each = lookup(service.value, "tls", null) != null ? [service.value.tls] : []
            content {
              dynamic "issuer_cert_authority" {
                for_each = [tls.value.issuer_cert_authority]
                content {
                  aws_pca_authority_arn = issuer_cert_authority.value.aws_pca_authority_arn
                }
              }
              kms_key  = lookup(tls.value, "kms_key", null)
              role_arn = lookup(tls.value, "role_arn", null)
            }
          }
        }
      }
    }
  }

  dynamic "ordered_placement_strategy" {
    for_each = var.ordered_placement_strategy
    content {
      type  = ordered_placement_strategy.value.type
      field = lookup(ordered_placement_strategy.value, "field", null)
    }
  }

  dynamic "placement_constraints" {
    for_each = var.placement_constraints
    content {
      type       = placement_constraints.value.type
      expression = lookup(placement_constraints.value, "expression", null)
    }
  }

  dynamic "deployment_controller" {
    for_each = var.deployment_controller != null ? [var.deployment_controller] : []
    content {
      type = lookup(deployment_controller.value, "type", null)
    }
  }

  dynamic "deployment_configuration" {
    for_each = var.deployment_configuration != null ? [var.deployment_configuration] : []
    content {
      strategy             = lookup(deployment_configuration.value, "strategy", null)
      bake_time_in_minutes = lookup(deployment_configuration.value, "bake_time_in_minutes", null)

      dynamic "canary_configuration" {
        for_each = lookup(deployment_configuration.value, "canary_configuration", null) != null ? [deployment_configuration.value.canary_configuration] : []
        content {
          canary_percent              = lookup(canary_configuration.value, "canary_percent", null)
          canary_bake_time_in_minutes = lookup(canary_configuration.value, "canary_bake_time_in_minutes", null)
        }
      }
      dynamic "linear_configuration" {
        for_each = lookup(deployment_configuration.value, "linear_configuration", null) != null ? [deployment_configuration.value.linear_configuration] : []
        content {
          step_percent              = lookup(linear_configuration.value, "step_percent", null)
          step_bake_time_in_minutes = lookup(linear_configuration.value, "step_bake_time_in_minutes", null)
        }
      }
      dynamic "lifecycle_hook" {
        for_each = lookup(deployment_configuration.value, "lifecycle_hook", null) != null ? deployment_configuration.value.lifecycle_hook : {}
        content {
          hook_target_arn  = lifecycle_hook.value.hook_target_arn
          role_arn         = lifecycle_hook.value.role_arn
          lifecycle_stages = lifecycle_hook.value.lifecycle_stages
        }
      }
    }
  }

  tags = merge(var.tags, var.service_tags)
}

output "id" { value = try(aws_ecs_service.this[0].id, null) }
output "name" { value = try(aws_ecs_service.this[0].name, null) }
output "task_definition_arn" { value = try(aws_ecs_task_definition.this[0].arn, var.task_definition_arn) }
output "task_definition_family" { value = try(aws_ecs_task_definition.this[0].family, null) }
output "task_definition_revision" { value = try(aws_ecs_task_definition.this[0].revision, null) }
output "security_group_id" { value = try(aws_security_group.this[0].id, null) }
output "security_group_arn" { value = try(aws_security_group.this[0].arn, null) }
output "container_definitions" { value = { for c in local.containers : c.name => c } }
output "task_exec_iam_role_arn" { value = local.task_exec_role_arn }
output "task_exec_iam_role_name" { value = try(aws_iam_role.task_exec[0].name, null) }
output "tasks_iam_role_arn" { value = local.tasks_role_arn }
output "tasks_iam_role_name" { value = try(aws_iam_role.tasks[0].name, null) }
