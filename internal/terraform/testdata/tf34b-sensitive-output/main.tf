# Round thirty-four, second sweep (written for ecsnet): root outputs of
# sensitive values. Terraform refuses leaked and leaked_var ("Output refers
# to sensitive values") and takes the others: one marked sensitive, one
# unmarked by nonsensitive, one of a non-sensitive attribute.
provider "aws" { region = "us-east-1" }

variable "token" {
  type      = string
  default   = "s3cr3t"
  sensitive = true
}
data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
}
output "leaked" { value = "ami ${data.aws_ssm_parameter.ecs_ami.value}" }
output "leaked_var" { value = var.token }
output "marked" {
  value     = data.aws_ssm_parameter.ecs_ami.value
  sensitive = true
}
output "unmarked" { value = nonsensitive(data.aws_ssm_parameter.ecs_ami.value) }
output "arn" { value = data.aws_ssm_parameter.ecs_ami.arn }
