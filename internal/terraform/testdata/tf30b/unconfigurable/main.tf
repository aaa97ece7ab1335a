# An ECS container instance whose volumes were copied from a state file:
# volume_id, device_name of the root volume and an ALB's subnet_mapping
# outpost_id are decided by AWS, not written (the subnet mappings refer to
# subnets not yet created: terraform validate checks none of that set).
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

resource "aws_vpc" "app" {
  cidr_block = "10.8.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.app.id
  cidr_block        = "10.8.0.0/24"
  availability_zone = "us-west-2a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.app.id
  cidr_block        = "10.8.1.0/24"
  availability_zone = "us-west-2b"
}

resource "aws_instance" "ecs_node" {
  ami           = "ami-0e5e3c1b1f5f0a0c2"
  instance_type = "t3.large"
  subnet_id     = aws_subnet.a.id

  root_block_device {
    volume_size = 40
    device_name = "/dev/xvda"
    volume_id   = "vol-0a1b2c3d4e5f60718"
  }

  ebs_block_device {
    device_name = "/dev/xvdcz"
    volume_size = 22
    volume_id   = "vol-0f1e2d3c4b5a69788"
  }

  ebs_block_device {
    device_name = "/dev/xvdf"
    volume_size = 10
  }
}

resource "aws_lb" "front" {
  name               = "front"
  load_balancer_type = "network"

  subnet_mapping {
    subnet_id  = aws_subnet.a.id
    outpost_id = "op-0123456789abcdef0"
  }

  subnet_mapping {
    subnet_id  = aws_subnet.b.id
    outpost_id = "op-0123456789abcdef0"
  }
}
