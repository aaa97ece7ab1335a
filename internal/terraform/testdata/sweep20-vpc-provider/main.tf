# After zahlenhelfer/sl-aws-workshop ECS/providers.tf and 00-vpc.tf
# @3fbccd2f: the provider pinned to 4.17.1, the VPC module called without
# a version (terraform init installs v6, which requires hashicorp/aws
# >= 6.0).
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "4.17.1"
    }
  }
}

provider "aws" {
  region = "eu-central-1"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"

  name            = "ecs-workshop-dev-vpc"
  cidr            = "10.0.0.0/16"
  azs             = ["eu-central-1a", "eu-central-1b"]
  public_subnets  = ["10.0.1.0/24", "10.0.2.0/24"]
  private_subnets = ["10.0.10.0/24", "10.0.20.0/24"]
}
