variable "aws_region" {
  type = string
}

resource "aws_vpc" "vpc" {
  cidr_block = "10.0.10.0/24"
}

resource "aws_subnet" "public" {
  for_each          = toset(["a", "b"])
  vpc_id            = aws_vpc.vpc.id
  availability_zone = "${var.aws_region}${each.key}"
  cidr_block        = cidrsubnet("10.0.10.0/24", 2, index(["a", "b"], each.key))
}
