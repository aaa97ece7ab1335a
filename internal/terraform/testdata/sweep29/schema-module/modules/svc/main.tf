variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

resource "aws_security_group" "this" {
  name        = var.name
  vpc_id      = var.vpc_id
  descripton  = "the service's tasks"
}
