# An instance role and a subnet in a VPC that another team made, found
# by its Name tag; the role's name uses a local value that an earlier
# version of the configuration declared.
provider "aws" {
  region = "us-east-1"
}

data "aws_vpc" "shared" {
  tags = {
    Name = "shared-services"
  }
}

resource "aws_subnet" "hosts" {
  vpc_id     = data.aws_vpc.shared.id
  cidr_block = "172.25.128.0/25"
}

resource "aws_iam_role" "hosts" {
  name = "hosts-${local.suffix}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
