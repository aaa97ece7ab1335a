provider "aws" {
  region = "us-east-1"
}

# An image query no public image ecsnet knows meets.
data "aws_ami" "distro" {
  most_recent = true
  owners      = ["099720109477"]
  filter {
    name   = "name"
    values = ["example-distro/images/*-server-*"]
  }
}

# The ECS-optimized image, which ecsnet knows.
data "aws_ami" "ecs" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["al2023-ami-ecs-hvm-*-x86_64"]
  }
}

output "distro" {
  value = data.aws_ami.distro.id
}

output "ecs" {
  value = data.aws_ami.ecs.id
}
