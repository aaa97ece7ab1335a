resource "aws_ecr_repository" "ecr" {
  name = var.name
}

variable "name" {
  type = string
}
