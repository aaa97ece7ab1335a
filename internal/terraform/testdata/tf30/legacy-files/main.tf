# Terraform 0.11-era files as terraform validate (1.11.4) reads them: a
# variable named as a module block's argument, and an override file whose
# one-line terraform block holds a nested block.
provider "aws" {
  region = "us-east-1"
}

variable "count" {
  default = 2
}

variable "for_each" {}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
