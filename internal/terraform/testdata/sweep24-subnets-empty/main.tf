provider "aws" {
  region = "us-west-2"
}

data "aws_vpc" "default" {
  default = true
}

# As abayomiganiy/ecs-terraform data.tf reads them: subnets tagged
# *public*, which the default VPC's subnets are not.
data "aws_subnets" "public" {
  filter {
    name   = "tag:Name"
    values = ["*public*"]
  }
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

output "public" {
  value = length(data.aws_subnets.public.ids)
}

output "default" {
  value = length(data.aws_subnets.default.ids)
}
