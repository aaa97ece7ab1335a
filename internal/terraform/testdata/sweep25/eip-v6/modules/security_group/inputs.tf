variable "name" {
  type        = string
}

variable "vpc_id" {
  type        = string
}

variable "http_port" {
  type        = number
  default     = 80
}

variable "htts_port" {
  type        = number
  default     = 443
}

variable "container_port" {
  type        = number
}
