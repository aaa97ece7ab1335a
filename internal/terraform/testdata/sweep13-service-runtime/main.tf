# Two services by the ECS module's service submodule: one without
# runtime_platform (the module's default, X86_64 and LINUX), one on ARM64.
provider "aws" {
  region = "eu-west-1"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name            = "rt"
  cidr            = "10.4.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b"]
  private_subnets = ["10.4.1.0/24", "10.4.2.0/24"]
  public_subnets  = ["10.4.101.0/24", "10.4.102.0/24"]

  enable_nat_gateway = true
  single_nat_gateway = true
}

module "cluster" {
  source  = "terraform-aws-modules/ecs/aws//modules/cluster"
  version = "~> 5.0"

  cluster_name = "rt"
}

module "plain" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.0"

  name        = "plain"
  cluster_arn = module.cluster.arn
  subnet_ids  = module.vpc.private_subnets

  container_definitions = {
    app = {
      image = "public.ecr.aws/nginx/nginx:latest"
    }
  }
}

module "graviton" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.0"

  name        = "graviton"
  cluster_arn = module.cluster.arn
  subnet_ids  = module.vpc.private_subnets

  runtime_platform = {
    cpu_architecture        = "ARM64"
    operating_system_family = "LINUX"
  }

  container_definitions = {
    app = {
      image = "public.ecr.aws/nginx/nginx:latest"
    }
  }
}
