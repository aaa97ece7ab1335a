# After filipegalo/terraform-ecs-alb-sample dev/eu-central-1/004ecs
# (data.tf and main.tf @5afd2c61): the remote states of the stacks it
# builds on, by for_each over an s3 backend, feed a module's counts.
# Trimmed to what shows the reading.
provider "aws" {
  region = "eu-central-1"
}

data "terraform_remote_state" "resources" {
  for_each = toset(["vpc", "alb"])

  backend = "s3"
  config = {
    bucket = "tf-dummy-app-state"
    key    = "dev/eu-central-1/${each.key}/terraform.tfstate"
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  count      = length(data.terraform_remote_state.resources["vpc"].outputs.private_subnets)
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}
