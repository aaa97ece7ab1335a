terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}
provider "aws" { region = "us-east-1" }

variable "disks" {
  type    = list(string)
  default = ["/dev/sdf", "/dev/sdg"]
}

locals {
  volumes = ["/dev/sdh", "/dev/sdi"]
}

resource "aws_instance" "a" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  dynamic "root_block_device" {
    for_each = [1]
    content {
      volume_size = 20
      volume_id   = "vol-1"
    }
  }
  dynamic "ebs_block_device" {
    for_each = local.volumes
    content {
      device_name = ebs_block_device.value
      volume_id   = "vol-2"
    }
  }
}

resource "aws_instance" "b" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  dynamic "ebs_block_device" {
    for_each = var.disks
    content {
      device_name = ebs_block_device.value
      volume_id   = "vol-3"
    }
  }
}

resource "aws_instance" "c" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  dynamic "root_block_device" {
    for_each = []
    content {
      volume_id = "vol-4"
    }
  }
}

resource "aws_lb" "d" {
  name = "d"
  dynamic "subnet_mapping" {
    for_each = toset(["subnet-1", "subnet-2"])
    content {
      subnet_id = subnet_mapping.value
      outpost_id = "op-1"
    }
  }
}
