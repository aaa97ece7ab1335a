variable "aws_region" {
  default     = "ap-south-1"
}

variable "app_port" {
  default     = "80"
}

variable "health_check_path" {
  default = "/"
}

variable "default_vpc" {
  default     = "vpc-06416506df0d6f21a"
}

variable "default_subnet" {
  default     = "subnet-0eae5ff3b78366cc1"
}

variable "ami" {
  default     = "ami-0ded8326293d3201b"
}
