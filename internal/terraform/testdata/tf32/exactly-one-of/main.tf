terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}
provider "aws" {
  region = "us-east-1"
}
resource "aws_launch_template" "lt" {
  name_prefix   = "web"
  image_id      = "ami-12345678"
  instance_type = "t3.micro"
}
resource "aws_launch_configuration" "lc" {
  image_id      = "ami-12345678"
  instance_type = "t3.micro"
}
resource "aws_autoscaling_group" "both" {
  min_size             = 1
  max_size             = 2
  availability_zones   = ["us-east-1a"]
  launch_configuration = "web-lc"
  launch_template {
    id = "lt-0123456789abcdef0"
  }
}
resource "aws_autoscaling_group" "known_and_unknown" {
  min_size             = 1
  max_size             = 2
  availability_zones   = ["us-east-1a"]
  launch_configuration = aws_launch_configuration.lc.name
  launch_template {
    id = aws_launch_template.lt.id
  }
}
resource "aws_lb" "both" {
  name    = "both"
  subnets = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  subnet_mapping {
    subnet_id = "subnet-0123456789abcdef2"
  }
}
