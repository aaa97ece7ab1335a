variable "aws_region" { default = "us-east-1" }
variable "service_name" { default = "web" }
variable "container_name" { default = "nginx" }
variable "container_image" { default = "nginx:latest" }
variable "container_port" { default = 80 }
