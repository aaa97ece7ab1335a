variable "name" {
  type        = string
}

variable "tag_immutability" {
  type        = string
  default     = "MUTABLE"
}
