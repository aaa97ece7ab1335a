variable "vpc_id" {
  type = string
}

variable "name" {
  type = string
}

variable "create" {
  type    = bool
  default = null
}

resource "aws_security_group" "this" {
  count  = var.create == null ? (var.vpc_id == null ? 0 : 1) : (var.create ? 1 : 0)
  name   = "grp-${var.name}"
  vpc_id = var.vpc_id
}
