# Round twelve: a registry module called without a version. terraform init
# installs the newest release, so the stand-in is read as that release
# (v6 of the ECS module: cluster_name, a map of capacity providers), and a
# warning says so.
provider "aws" {
  region = "us-east-1"
}

module "ecs" {
  source                     = "terraform-aws-modules/ecs/aws"
  cluster_name               = "latest"
  cluster_capacity_providers = ["FARGATE", "FARGATE_SPOT"]
  default_capacity_provider_strategy = {
    FARGATE = { weight = 1 }
  }
}
