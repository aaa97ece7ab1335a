# ecsnet's stand-in for cloudposse/iam-policy/aws (github.com/cloudposse/terraform-aws-iam-policy):
# the policy document of the given statements, and the policy when
# iam_policy_enabled (IAM does not change how packets flow; the stand-in
# lets the configurations that pass its ARN on be read).

variable "iam_policy_enabled" { default = false }
variable "iam_policy_statements" { default = [] }
variable "iam_source_json_url" { default = null }
variable "iam_source_policy_documents" { default = null }
variable "iam_override_policy_documents" { default = null }
variable "iam_policy_id" { default = null }
variable "description" { default = null }

locals {
  statements = [for s in(can(tolist(var.iam_policy_statements)) ? tolist(var.iam_policy_statements) : values(var.iam_policy_statements)) : {
    Sid      = try(s.sid, null)
    Effect   = try(s.effect, "Allow")
    Action   = try(s.actions, [])
    Resource = try(s.resources, [])
  }]
  json = jsonencode({ Version = "2012-10-17", Statement = local.statements })
}

resource "aws_iam_policy" "default" {
  count       = local.label_enabled && var.iam_policy_enabled ? 1 : 0
  name        = local.label_id
  description = var.description
  policy      = local.json
  tags        = local.label_tags
}

output "json" { value = local.json }
output "policy_arn" { value = try(aws_iam_policy.default[0].arn, null) }
output "policy_name" { value = try(aws_iam_policy.default[0].name, null) }
output "policy_id" { value = try(aws_iam_policy.default[0].id, null) }
