# ecsnet's stand-in for the registry module terraform-aws-modules/kms/aws,
# used when `terraform init` has not installed it. A key shapes no packet:
# the stand-in makes one (not modelled by ecsnet) so that what refers to
# its ARN and id reads on. Other arguments are ignored, with a warning.

variable "create" { default = true }
variable "description" { default = null }
variable "tags" { default = {} }

resource "aws_kms_key" "this" {
  count       = var.create ? 1 : 0
  description = var.description
  tags        = var.tags
}

output "key_arn" { value = try(aws_kms_key.this[0].arn, null) }
output "key_id" { value = try(aws_kms_key.this[0].key_id, null) }
output "key_policy" { value = try(aws_kms_key.this[0].policy, null) }
output "aliases" { value = {} }
