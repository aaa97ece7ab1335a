# Round twelve: a configuration applied on top of another (--base
# internal/terraform/testdata/sweep12-codedeploy): the base keeps the ids
# it has when read alone.
provider "aws" {
  region = "us-east-1"
}

data "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_security_group" "extra" {
  name   = "extra"
  vpc_id = data.aws_vpc.main.id
}

output "vpc_id" {
  value = data.aws_vpc.main.id
}
