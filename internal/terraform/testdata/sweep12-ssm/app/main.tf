# Round twelve: read on --base ../base, the parameter answers with the
# base's VPC id (it was the placeholder "ssm:/network/vpc_id").
provider "aws" {
  region = "us-east-1"
}

data "aws_ssm_parameter" "vpc_id" {
  name = "/network/vpc_id"
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = data.aws_ssm_parameter.vpc_id.value
}

# The parameter's value is sensitive in the provider's schema: Terraform
# refuses a root output of it without sensitive = true.
output "vpc_id" {
  value     = data.aws_ssm_parameter.vpc_id.value
  sensitive = true
}

output "version" {
  value = data.aws_ssm_parameter.vpc_id.version
}
