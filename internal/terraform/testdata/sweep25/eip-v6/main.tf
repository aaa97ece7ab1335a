# aws_eip's vpc argument with the provider constrained only from below.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 4.31.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_eip" "nat" {
  count = 3
  vpc   = true
}
