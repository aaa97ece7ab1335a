variable "name" {}

resource "aws_vpc" "this" {
  cidr_block = "10.1.0.0/16"
}

module "groups" {
  source = "./security-groups"
  vpc_id = aws_vpc.this.id
}
