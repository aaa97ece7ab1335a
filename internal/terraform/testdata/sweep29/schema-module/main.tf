# Two copies of a local module whose security group has a misspelt
# argument: terraform validate says it once, of the module's file.
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "v" {
  cidr_block = "10.91.0.0/16"
}

module "svc" {
  source = "./modules/svc"
  count  = 2
  name   = "svc-${count.index}"
  vpc_id = aws_vpc.v.id
}
