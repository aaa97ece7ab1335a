# After a public single-file configuration of an EC2 capacity provider
# (code-index file id 52316698615; the index names no repository): the
# ECS-optimized image found by aws_ami's name filter, launched on
# Graviton (t4g.small) by an Auto Scaling group.
provider "aws" {
  region = "us-west-2"
}

variable "arch" {
  default = "arm64"
}

variable "instance_type" {
  default = "t4g.small"
}

data "aws_ami" "ecs_optimized" {
  most_recent = true
  owners      = ["amazon"]

  filter {
    name   = "name"
    values = ["amzn2-ami-ecs-hvm-*-${var.arch}-ebs"]
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-west-2a"
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "ds2-dev-ecs-"
  image_id      = data.aws_ami.ecs_optimized.id
  instance_type = var.instance_type
}

resource "aws_autoscaling_group" "ecs" {
  name                = "ds2-dev-ecs-asg"
  vpc_zone_identifier = [aws_subnet.a.id]
  min_size            = 1
  max_size            = 3
  desired_capacity    = 1

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

output "ami" {
  value = "${data.aws_ami.ecs_optimized.name} ${data.aws_ami.ecs_optimized.architecture}"
}
