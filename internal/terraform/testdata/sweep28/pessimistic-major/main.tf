terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 4"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

# No version: `terraform init` installs the module's newest release, whose
# own constraint on the provider is ">= 6.0".
module "network" {
  source = "terraform-aws-modules/vpc/aws"

  name            = "app"
  cidr            = "10.40.0.0/16"
  azs             = ["us-east-1a", "us-east-1b"]
  public_subnets  = ["10.40.1.0/24", "10.40.2.0/24"]
  private_subnets = ["10.40.11.0/24", "10.40.12.0/24"]
}
