# A VPC whose author copied its ARN in from the console: the provider
# computes arn, and Terraform refuses a value for it.
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.61.0.0/16"
  arn        = "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123456789abcdef0"
}
