# The provider's region comes from a variable, and a data source of another
# provider (terraform_remote_state) is written before everything: the whole
# configuration is still in eu-west-1. The module's v3/v4 outputs.
variable "aws_region" {
  default = "eu-west-1"
}

data "terraform_remote_state" "network" {
  backend = "s3"
  config = {
    bucket = "state"
    key    = "network.tfstate"
    region = "eu-west-1"
  }
  defaults = {
    cidr = "10.0.0.0/16"
  }
}

provider "aws" {
  region = var.aws_region
}

resource "aws_vpc" "main" {
  cidr_block = data.terraform_remote_state.network.outputs.cidr
}

module "sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 4.0"
  name    = "web"
  vpc_id  = aws_vpc.main.id
}

module "ecs" {
  source  = "terraform-aws-modules/ecs/aws"
  version = "3.5.0"
  name    = "legacy"
}

output "sg_owner" { value = module.sg.security_group_owner_id }
output "cluster" { value = module.ecs.ecs_cluster_name }
output "cluster_arn" { value = module.ecs.ecs_cluster_arn }
