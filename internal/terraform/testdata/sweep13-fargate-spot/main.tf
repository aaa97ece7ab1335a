# The ECS module (v4) with FARGATE and FARGATE_SPOT providers, each with
# its default strategy: both are the cluster's, and neither is said
# ignored by the stand-in.
provider "aws" {
  region = "us-west-2"
}

module "ecs" {
  source  = "terraform-aws-modules/ecs/aws"
  version = "~> 4.0"

  cluster_name = "spotty"

  fargate_capacity_providers = {
    FARGATE = {
      default_capacity_provider_strategy = {
        weight = 1
        base   = 1
      }
    }
    FARGATE_SPOT = {
      default_capacity_provider_strategy = {
        weight = 3
      }
    }
  }
}
