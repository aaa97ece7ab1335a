# ecsnet's stand-in for the registry module terraform-aws-modules/ecr/aws,
# used when `terraform init` has not installed it. A repository shapes no
# packet (pulling from it does, through the VPC's NAT gateway or
# endpoints): the stand-in makes the repository, so that container
# definitions naming their image by its URL read on and a task naming a
# repository the configuration does not make is found. Other arguments are
# ignored, with a warning.

variable "create" { default = true }
variable "create_repository" { default = true }
variable "repository_name" { default = "" }
variable "tags" { default = {} }

resource "aws_ecr_repository" "this" {
  count = var.create && var.create_repository ? 1 : 0
  name  = var.repository_name
  tags  = var.tags
}

output "repository_name" { value = try(aws_ecr_repository.this[0].name, null) }
output "repository_arn" { value = try(aws_ecr_repository.this[0].arn, null) }
output "repository_registry_id" { value = try(aws_ecr_repository.this[0].registry_id, null) }
output "repository_url" { value = try(aws_ecr_repository.this[0].repository_url, null) }
