variable "create" {
  type = bool
}

variable "vpc_id" {
  type = string
}

resource "aws_security_group" "this" {
  count  = var.create ? 1 : 0
  vpc_id = var.vpc_id
}
