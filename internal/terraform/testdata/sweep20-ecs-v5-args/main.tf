# After a public Fargate configuration (code-index file id 29244810728,
# the index names no repository): the ECS module pinned to 5.11.3 given
# v6's capacity_providers and default_capacity_provider_strategy, which
# v5 does not declare.
provider "aws" {
  region = "eu-west-1"
}

module "ecs_cluster" {
  source  = "terraform-aws-modules/ecs/aws"
  version = "5.11.3"

  cluster_name       = "flask-demo-cluster"
  capacity_providers = ["FARGATE"]
  default_capacity_provider_strategy = {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}
