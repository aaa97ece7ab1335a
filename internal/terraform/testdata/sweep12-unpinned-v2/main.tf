# Round twelve: the ECS module's v2 arguments without a version. The
# newest release, which terraform init installs, has no variable "name":
# Terraform refuses the call.
provider "aws" {
  region = "us-east-1"
}

module "ecs" {
  source             = "terraform-aws-modules/ecs/aws"
  name               = "old"
  capacity_providers = ["FARGATE"]
}
