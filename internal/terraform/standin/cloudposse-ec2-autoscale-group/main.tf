# ecsnet's stand-in for cloudposse/ec2-autoscale-group/aws (0.30 and
# later), used when `terraform init` has not installed it: the launch
# template (image, type, key, base64 user data, instance profile by name,
# one network interface with the security groups and
# associate_public_ip_address, Spot market options) and the Auto Scaling
# group named after the label (subnets, sizes, scale-in protection, a
# mixed instances policy's instance types, target groups), as the module
# makes them. Its scaling policies and alarms are not made. Other
# arguments are ignored, with a warning.

variable "image_id" { default = "" }
variable "instance_type" { default = "" }
variable "key_name" { default = "" }
variable "user_data_base64" { default = "" }
variable "iam_instance_profile_name" { default = "" }
variable "security_group_ids" { default = [] }
variable "subnet_ids" {}
variable "associate_public_ip_address" { default = false }
variable "instance_market_options" { default = null }
variable "mixed_instances_policy" { default = null }
variable "min_size" {}
variable "max_size" {}
variable "desired_capacity" { default = null }
variable "protect_from_scale_in" { default = false }
variable "health_check_type" { default = "EC2" }
variable "target_group_arns" { default = [] }
variable "launch_template_version" { default = "" }
variable "tag_specifications_resource_types" { default = ["instance", "volume"] }

locals {
  lt_id  = try(aws_launch_template.default[0].id, "")
  lt_ver = var.launch_template_version != "" ? var.launch_template_version : try(aws_launch_template.default[0].latest_version, "")
  # The module's name prefix: the label's id and its delimiter.
  name_prefix = "${local.label_id}${local.label_delimiter}"
}

resource "aws_launch_template" "default" {
  count         = local.label_enabled ? 1 : 0
  name_prefix   = local.name_prefix
  image_id      = var.image_id
  instance_type = var.instance_type
  key_name      = var.key_name
  user_data     = var.user_data_base64

  iam_instance_profile {
    name = var.iam_instance_profile_name
  }

  dynamic "instance_market_options" {
    for_each = var.instance_market_options != null ? [var.instance_market_options] : []
    content {
      market_type = lookup(instance_market_options.value, "market_type", null)
    }
  }

  network_interfaces {
    description                 = local.label_id
    device_index                = 0
    associate_public_ip_address = var.associate_public_ip_address
    delete_on_termination       = true
    security_groups             = var.security_group_ids
  }

  dynamic "tag_specifications" {
    for_each = var.tag_specifications_resource_types
    content {
      resource_type = tag_specifications.value
      tags          = local.label_tags
    }
  }

  tags = local.label_tags
}

resource "aws_autoscaling_group" "default" {
  count                 = local.label_enabled ? 1 : 0
  name_prefix           = local.name_prefix
  vpc_zone_identifier   = var.subnet_ids
  max_size              = var.max_size
  min_size              = var.min_size
  desired_capacity      = var.desired_capacity
  health_check_type     = var.health_check_type
  protect_from_scale_in = var.protect_from_scale_in
  target_group_arns     = var.target_group_arns

  dynamic "launch_template" {
    for_each = var.mixed_instances_policy == null ? [1] : []
    content {
      id      = local.lt_id
      version = local.lt_ver
    }
  }

  dynamic "mixed_instances_policy" {
    for_each = var.mixed_instances_policy == null ? [] : [var.mixed_instances_policy]
    content {
      launch_template {
        launch_template_specification {
          launch_template_id = local.lt_id
          version            = local.lt_ver
        }
        dynamic "override" {
          for_each = try(coalesce(mixed_instances_policy.value.override, []), [])
          content {
            instance_type     = lookup(override.value, "instance_type", null)
            weighted_capacity = lookup(override.value, "weighted_capacity", null)
          }
        }
      }
    }
  }

  dynamic "tag" {
    for_each = local.label_tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}

output "launch_template_id" { value = local.lt_id }
output "launch_template_arn" { value = try(aws_launch_template.default[0].arn, "") }
output "autoscaling_group_id" { value = try(aws_autoscaling_group.default[0].id, "") }
output "autoscaling_group_name" { value = try(aws_autoscaling_group.default[0].name, "") }
output "autoscaling_group_arn" { value = try(aws_autoscaling_group.default[0].arn, "") }
output "autoscaling_group_min_size" { value = try(aws_autoscaling_group.default[0].min_size, "") }
output "autoscaling_group_max_size" { value = try(aws_autoscaling_group.default[0].max_size, "") }
output "autoscaling_group_desired_capacity" { value = try(aws_autoscaling_group.default[0].desired_capacity, "") }
output "autoscaling_group_health_check_type" { value = try(aws_autoscaling_group.default[0].health_check_type, "") }
output "autoscaling_group_tags" { value = local.label_tags }
