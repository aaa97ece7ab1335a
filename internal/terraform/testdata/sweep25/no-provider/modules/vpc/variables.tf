variable "cidr_block" {
  type = string
}

variable "name" {
  type = string
}

variable "az_count" {
  type = number
}

variable "aws_region" {
  type = string
}
