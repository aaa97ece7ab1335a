provider "aws" {
  region = "us-east-1"
}

data "aws_region" "typo" {
  name = "us-east-3"
}

data "aws_region" "conflict" {
  name     = "us-west-2"
  endpoint = "ec2.us-west-1.amazonaws.com"
}

data "aws_region" "auckland" {
  name = "ap-southeast-6"
}
