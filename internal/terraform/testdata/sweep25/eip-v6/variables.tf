variable "aws-access-key" {
  type = string
}

variable "aws-secret-key" {
  type = string
}
