# ecsnet's stand-in for terraform-aws-modules/ecs/aws's
# //modules/ecs-instance-profile (the module's v2 and v3), used when
# `terraform init` has not installed it: the role container instances
# assume (AmazonEC2ContainerServiceforEC2Role) and its instance profile,
# named after `name`, so that the hosts that use it can join their
# cluster. Other arguments are ignored, with a warning.

variable "name" { default = "" }
variable "include_ssm" { default = false }
variable "tags" { default = {} }

resource "aws_iam_role" "this" {
  name = "${var.name}_ecs_instance_role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
  tags = var.tags
}

resource "aws_iam_instance_profile" "this" {
  name = "${var.name}_ecs_instance_profile"
  role = aws_iam_role.this.name
}

output "this_iam_instance_profile_id" { value = aws_iam_instance_profile.this.id }
output "this_iam_instance_profile_arn" { value = aws_iam_instance_profile.this.arn }
output "iam_instance_profile_id" { value = aws_iam_instance_profile.this.id }
output "iam_instance_profile_arn" { value = aws_iam_instance_profile.this.arn }
output "this_iam_role_name" { value = aws_iam_role.this.name }
output "iam_role_name" { value = aws_iam_role.this.name }
