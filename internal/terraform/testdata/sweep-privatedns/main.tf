# An interface endpoint without private_dns_enabled in a VPC without DNS
# hostnames (after foo-543674/terraform-aws-ecr-with-ec2): the provider
# sends PrivateDnsEnabled false, so EC2 creates it; the ECR endpoint's
# name does not resolve to it.
provider "aws" {
  region = "ap-northeast-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "main" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "ap-northeast-1a"
}
resource "aws_vpc_endpoint" "ecr" {
  vpc_id            = aws_vpc.main.id
  subnet_ids        = [aws_subnet.main.id]
  service_name      = "com.amazonaws.ap-northeast-1.ecr.dkr"
  vpc_endpoint_type = "Interface"
}
