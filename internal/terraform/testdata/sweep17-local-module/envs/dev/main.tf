# After anhnt160190/ecs-terraform-example envs/dev (0-vpc.tf, 3-ecs.tf
# @74d54d1f): the root calls local modules by ../../modules/NAME, and the
# repository holds no modules/vpc. Trimmed.
provider "aws" {
  region = "ap-southeast-1"
}

module "vpc" {
  source   = "../../modules/vpc"
  env      = "dev"
  vpc_cidr = "10.3.0.0/16"
}

module "ecs_cluster" {
  source       = "../../modules/empty"
  env          = "dev"
  cluster_name = "demo"
}
