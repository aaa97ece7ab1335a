variable "region" {
  type    = string
  default = "us-east-1"
}

variable "cluster_name" {
  type    = string
  default = "demo"
}

variable "instance_type" {
  type    = string
  default = "m5.large"

  validation {
    condition     = contains(["t3.medium", "m5.large", "m5.xlarge", "c5.large"], var.instance_type)
    error_message = "instance_type must be one of t3.medium, m5.large, m5.xlarge, c5.large."
  }
}

variable "vpc_cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "task_ports" {
  type    = list(number)
  default = [3000]
}
