variable "name" {
  type        = string
}

variable "vpc_id" {
  type        = string
}

variable "subnets" {
  type        = list(any)
}

variable "alb_sg" {
  type        = list(any)
}

variable "healthcheck" {
  type        = string
  default     = "/"
}
