# ecsnet's stand-in for terraform-aws-modules/iam/aws's
# //modules/iam-assumable-role, used when `terraform init` has not
# installed it: the role (and, when asked, its instance profile), so that
# task definitions and launch templates that name it get ARNs of AWS's
# shape. IAM does not change how packets flow; its policies are not read.
# Written for ecsnet; other arguments are ignored, with a warning.

variable "create_role" { default = false }
variable "create_instance_profile" { default = false }
variable "role_name" { default = null }
variable "role_name_prefix" { default = null }
variable "role_path" { default = "/" }
variable "role_description" { default = "" }
variable "trusted_role_services" { default = [] }
variable "trusted_role_arns" { default = [] }
variable "trusted_role_actions" { default = ["sts:AssumeRole"] }
variable "role_requires_mfa" { default = true }
variable "custom_role_policy_arns" { default = [] }
variable "number_of_custom_role_policy_arns" { default = null }
variable "admin_role_policy_arn" { default = "" }
variable "attach_admin_policy" { default = false }
variable "attach_readonly_policy" { default = false }
variable "attach_poweruser_policy" { default = false }
variable "max_session_duration" { default = 3600 }
variable "role_permissions_boundary_arn" { default = "" }
variable "tags" { default = {} }

resource "aws_iam_role" "this" {
  count       = var.create_role ? 1 : 0
  name        = var.role_name
  name_prefix = var.role_name_prefix
  path        = var.role_path
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = var.trusted_role_actions
      Principal = { Service = var.trusted_role_services, AWS = var.trusted_role_arns }
    }]
  })
  tags = var.tags
}

resource "aws_iam_instance_profile" "this" {
  count = var.create_role && var.create_instance_profile ? 1 : 0
  name  = var.role_name
  path  = var.role_path
  role  = aws_iam_role.this[0].name
}

output "iam_role_arn" { value = try(aws_iam_role.this[0].arn, "") }
output "iam_role_name" { value = try(aws_iam_role.this[0].name, "") }
output "iam_role_path" { value = try(aws_iam_role.this[0].path, "") }
output "iam_role_unique_id" { value = try(aws_iam_role.this[0].unique_id, "") }
output "role_requires_mfa" { value = var.role_requires_mfa }
output "iam_instance_profile_arn" { value = try(aws_iam_instance_profile.this[0].arn, "") }
output "iam_instance_profile_name" { value = try(aws_iam_instance_profile.this[0].name, "") }
output "iam_instance_profile_id" { value = try(aws_iam_instance_profile.this[0].id, "") }
output "iam_instance_profile_path" { value = try(aws_iam_instance_profile.this[0].path, "") }
# v3's names.
output "this_iam_role_arn" { value = try(aws_iam_role.this[0].arn, "") }
output "this_iam_role_name" { value = try(aws_iam_role.this[0].name, "") }
