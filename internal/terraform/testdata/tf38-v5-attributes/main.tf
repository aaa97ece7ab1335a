# Written for round thirty-eight: attributes hashicorp/aws v6 added (region,
# on every resource and data source), read under v5, where terraform
# validate refuses them ("Unsupported attribute"); the others are read.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_region" "current" {}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  count      = 1
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

output "region_v6" {
  value = data.aws_region.current.region
}

output "vpc_region_v6" {
  value = aws_vpc.main.region
}

output "subnet_region_v6" {
  value = aws_subnet.a[0].region
}

output "region_v5" {
  value = data.aws_region.current.name
}

output "vpc_arn" {
  value = aws_vpc.main.arn
}

output "subnet_zone" {
  value = aws_subnet.a[0].availability_zone
}
