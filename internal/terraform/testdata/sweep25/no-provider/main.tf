# No provider "aws" block: the region comes from the environment.
module "vpc" {
  source     = "./modules/vpc"
  aws_region = "eu-central-1"
}
