variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

resource "aws_subnet" "outside" {
  vpc_id     = aws_vpc.this.id
  cidr_block = "10.61.0.0/24"
}

output "vpc_id" {
  value = aws_vpc.this.id
}
