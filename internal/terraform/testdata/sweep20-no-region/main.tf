# After zahlenhelfer/sl-aws-workshop ECS/providers.tf and 00-vpc.tf
# @3fbccd2f: a provider block that sets no region, and zones named after
# var.region (the stored copy has no variables.tf).
provider "aws" {
}

variable "region" {
  default = "eu-central-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "${var.region}a"
}
