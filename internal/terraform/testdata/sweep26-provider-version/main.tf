# After fernviridian/pipeline-mini-project terraform-config/main.tf: a
# Terraform 0.12 configuration pins the AWS provider inside its provider
# block, which Terraform 0.13 and later still honour with a deprecation
# warning at the value.
provider "aws" {
  version = "~> 5.0"
  region  = "us-west-2"
}

provider "random" {
  version = "~> 3.0"
}

resource "aws_vpc" "vpc" {
  cidr_block = "10.0.0.0/16"
}
