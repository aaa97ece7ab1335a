# Round 15: an aws_ecs_cluster that sets capacity_providers and a
# default_capacity_provider_strategy, with no version constraint on the
# AWS provider (dexterchan/Terraform_CrossRegionVPCPeering's Fargate
# module): `terraform init` installs the newest provider, v6, and v5.0.0
# removed both arguments, so Terraform refuses the first.
provider "aws" {
  region = "us-east-1"
}
resource "aws_ecs_cluster" "main" {
  name               = "spot"
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
  default_capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
  }
}
