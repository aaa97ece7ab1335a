# ecsnet's stand-in for the registry module terraform-aws-modules/autoscaling/aws
# (v6 to v9), used when `terraform init` has not installed it. Written for
# ecsnet: it makes the launch template (image, type, security groups or
# network interfaces, user data, the instances' tags) and the Auto Scaling
# group (subnets, sizes, a mixed instances policy's instance types, target
# groups from target_group_arns or traffic_source_attachments). The v3
# interface (lc_name, asg_name, launch_configuration, tags as a list of
# key/value/propagate_at_launch, the this_ outputs) makes a launch
# configuration instead, whose user data is text.

variable "create" {
  default  = true
  nullable = false
}
variable "name" {}
variable "use_name_prefix" {
  default  = true
  nullable = false
}
variable "instance_name" {
  default  = ""
  nullable = false
}
variable "create_launch_template" {
  default  = true
  nullable = false
}
variable "launch_template_id" {
  default = null
}
variable "launch_template_name" {
  default  = ""
  nullable = false
}
variable "launch_template_use_name_prefix" {
  default  = true
  nullable = false
}
variable "launch_template_version" {
  default = null
}
variable "image_id" {
  default  = ""
  nullable = false
}
variable "instance_type" {
  default = null
}
variable "key_name" {
  default = null
}
variable "user_data" {
  default = null
}
variable "security_groups" {
  default  = []
  nullable = false
}
variable "network_interfaces" {
  default  = []
  nullable = false
}
variable "iam_instance_profile_arn" {
  default = null
}
variable "create_iam_instance_profile" {
  default  = false
  nullable = false
}
variable "iam_role_name" {
  default = null
}
variable "vpc_zone_identifier" {
  default = null
}
variable "availability_zones" {
  default = null
}
variable "min_size" {
  default = null
}
variable "max_size" {
  default = null
}
variable "desired_capacity" {
  default = null
}
variable "health_check_type" {
  default = null
}
variable "protect_from_scale_in" {
  default  = false
  nullable = false
}
variable "target_group_arns" {
  default  = []
  nullable = false
}
variable "traffic_source_attachments" {
  default  = {}
  nullable = false
}
variable "use_mixed_instances_policy" {
  default  = false
  nullable = false
}
variable "mixed_instances_policy" {
  default = null
}
variable "tag_specifications" {
  default  = []
  nullable = false
}
variable "tags" {
  default  = {}
  nullable = false
}
variable "autoscaling_group_tags" {
  default  = {}
  nullable = false
}
variable "lc_name" {
  default = null
}
variable "create_lc" {
  default  = true
  nullable = false
}
variable "launch_configuration" {
  default = null
}
variable "asg_name" {
  default = null
}
variable "create_asg" {
  default  = true
  nullable = false
}
variable "iam_instance_profile" {
  default = null
}
variable "associate_public_ip_address" {
  default = null
}
variable "spot_price" {
  default = null
}
variable "tags_as_map" {
  default  = {}
  nullable = false
}

locals {
  # v3 of the module: a launch configuration, and tags as a list.
  v3      = var.lc_name != null || var.asg_name != null || var.launch_configuration != null
  tag_map = merge(try(tomap(var.tags), { for t in var.tags : t.key => t.value }), var.tags_as_map)
  lc_name = local.v3 ? (var.create_lc ? try(aws_launch_configuration.this[0].name, null) : var.launch_configuration) : null
  lt_name   = coalesce(var.launch_template_name, var.name)
  lt_id     = var.create_launch_template ? try(aws_launch_template.this[0].id, null) : var.launch_template_id
  lt_ver    = var.launch_template_version != null ? var.launch_template_version : var.create_launch_template ? try(aws_launch_template.this[0].latest_version, null) : "$Default"
  overrides = var.use_mixed_instances_policy ? try(var.mixed_instances_policy.launch_template.override, []) : []
  # The group's targets: v6's target_group_arns, and the elbv2 traffic
  # sources of v7 and later.
  target_groups = concat(var.target_group_arns, [for k, v in var.traffic_source_attachments : v.traffic_source_identifier if lookup(v, "traffic_source_type", "elbv2") == "elbv2"])
}

# The instance profile the module makes with create_iam_instance_profile
# (its role and policies are not modelled).
resource "aws_iam_instance_profile" "this" {
  count       = var.create && var.create_iam_instance_profile ? 1 : 0
  name_prefix = "${coalesce(var.iam_role_name, var.name)}-"
}

resource "aws_launch_configuration" "this" {
  count                       = local.v3 && var.create && var.create_lc ? 1 : 0
  name_prefix                 = "${coalesce(var.lc_name, var.name)}-"
  image_id                    = var.image_id
  instance_type               = var.instance_type
  key_name                    = var.key_name
  user_data                   = var.user_data
  security_groups             = var.security_groups
  iam_instance_profile        = var.iam_instance_profile
  associate_public_ip_address = var.associate_public_ip_address
  spot_price                  = var.spot_price
}

resource "aws_launch_template" "this" {
  count                  = !local.v3 && var.create && var.create_launch_template ? 1 : 0
  name                   = var.launch_template_use_name_prefix ? null : local.lt_name
  name_prefix            = var.launch_template_use_name_prefix ? "${local.lt_name}-" : null
  image_id               = var.image_id
  instance_type          = var.instance_type
  key_name               = var.key_name
  user_data              = var.user_data
  vpc_security_group_ids = length(var.network_interfaces) > 0 ? [] : var.security_groups

  dynamic "iam_instance_profile" {
    for_each = var.iam_instance_profile_arn != null || var.create_iam_instance_profile ? [1] : []
    content {
      arn = var.create_iam_instance_profile ? aws_iam_instance_profile.this[0].arn : var.iam_instance_profile_arn
    }
  }

  dynamic "network_interfaces" {
    for_each = var.network_interfaces
    content {
      device_index                = lookup(network_interfaces.value, "device_index", null)
      associate_public_ip_address = lookup(network_interfaces.value, "associate_public_ip_address", null)
      delete_on_termination       = lookup(network_interfaces.value, "delete_on_termination", null)
      subnet_id                   = lookup(network_interfaces.value, "subnet_id", null)
      security_groups             = lookup(network_interfaces.value, "security_groups", var.security_groups)
    }
  }

  dynamic "tag_specifications" {
    for_each = var.tag_specifications
    content {
      resource_type = tag_specifications.value.resource_type
      tags          = merge(var.tags, lookup(tag_specifications.value, "tags", {}))
    }
  }

  tags = var.tags
}

resource "aws_autoscaling_group" "this" {
  count                 = var.create && var.create_asg ? 1 : 0
  name                  = var.use_name_prefix ? null : var.name
  name_prefix           = var.use_name_prefix ? "${local.v3 ? coalesce(var.asg_name, var.name) : var.name}-" : null
  launch_configuration  = local.lc_name
  vpc_zone_identifier   = var.vpc_zone_identifier
  availability_zones    = var.availability_zones
  min_size              = var.min_size
  max_size              = var.max_size
  desired_capacity      = var.desired_capacity
  health_check_type     = var.health_check_type
  protect_from_scale_in = var.protect_from_scale_in
  target_group_arns     = local.target_groups

  dynamic "launch_template" {
    for_each = var.use_mixed_instances_policy || local.v3 ? [] : [1]
    content {
      id      = local.lt_id
      version = local.lt_ver
    }
  }

  dynamic "mixed_instances_policy" {
    for_each = var.use_mixed_instances_policy ? [1] : []
    content {
      launch_template {
        launch_template_specification {
          launch_template_id = local.lt_id
          version            = local.lt_ver
        }
        dynamic "override" {
          for_each = local.overrides
          content {
            instance_type     = lookup(override.value, "instance_type", null)
            weighted_capacity = lookup(override.value, "weighted_capacity", null)
          }
        }
      }
    }
  }

  dynamic "tag" {
    for_each = merge({ Name = coalesce(var.instance_name, var.name) }, local.tag_map, var.autoscaling_group_tags)
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}

output "autoscaling_group_id" { value = try(aws_autoscaling_group.this[0].id, null) }
output "autoscaling_group_name" { value = try(aws_autoscaling_group.this[0].name, null) }
output "autoscaling_group_arn" { value = try(aws_autoscaling_group.this[0].arn, null) }
output "autoscaling_group_min_size" { value = try(aws_autoscaling_group.this[0].min_size, null) }
output "autoscaling_group_max_size" { value = try(aws_autoscaling_group.this[0].max_size, null) }
output "autoscaling_group_desired_capacity" { value = try(aws_autoscaling_group.this[0].desired_capacity, null) }
output "autoscaling_group_vpc_zone_identifier" { value = try(aws_autoscaling_group.this[0].vpc_zone_identifier, null) }
output "launch_template_id" { value = try(aws_launch_template.this[0].id, null) }
output "launch_template_arn" { value = try(aws_launch_template.this[0].arn, null) }
output "launch_template_name" { value = try(aws_launch_template.this[0].name, null) }
output "launch_template_latest_version" { value = try(aws_launch_template.this[0].latest_version, null) }
output "this_autoscaling_group_id" { value = try(aws_autoscaling_group.this[0].id, "") }
output "this_autoscaling_group_name" { value = try(aws_autoscaling_group.this[0].name, "") }
output "this_autoscaling_group_arn" { value = try(aws_autoscaling_group.this[0].arn, "") }
output "this_launch_configuration_id" { value = try(aws_launch_configuration.this[0].id, "") }
output "this_launch_configuration_name" { value = try(aws_launch_configuration.this[0].name, "") }
