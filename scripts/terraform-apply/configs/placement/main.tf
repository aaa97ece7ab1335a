# Placement groups for EC2 instances (ECS container instances' hosts): a cluster group an Auto
# Scaling group launches into (placement_group), a partition group a
# launch template names (placement { group_name, partition_number }) and a
# spread group a lone instance runs in (placement_group). Every instance
# lands in its group (DescribeInstances' Placement.GroupName); a second
# plan is empty.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.31.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = "placement" }
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.31.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_security_group" "hosts" {
  name_prefix = "placement-"
  vpc_id      = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_placement_group" "close" {
  name     = "placement-close"
  strategy = "cluster"
  tags     = { Tier = "batch" }
}

resource "aws_placement_group" "racks" {
  name            = "placement-racks"
  strategy        = "partition"
  partition_count = 3
}

resource "aws_placement_group" "apart" {
  name         = "placement-apart"
  strategy     = "spread"
  spread_level = "rack"
}

resource "aws_launch_template" "partitioned" {
  name_prefix            = "placement-"
  image_id               = data.aws_ssm_parameter.ecs_ami.value
  instance_type          = "c5.large"
  vpc_security_group_ids = [aws_security_group.hosts.id]
  placement {
    group_name       = aws_placement_group.racks.name
    partition_number = 2
  }
}

resource "aws_launch_template" "plain" {
  name_prefix            = "placement-plain-"
  image_id               = data.aws_ssm_parameter.ecs_ami.value
  instance_type          = "c5.large"
  vpc_security_group_ids = [aws_security_group.hosts.id]
}

resource "aws_autoscaling_group" "close" {
  name_prefix         = "placement-close-"
  min_size            = 2
  max_size            = 2
  vpc_zone_identifier = [aws_subnet.a.id]
  placement_group     = aws_placement_group.close.id
  launch_template {
    id      = aws_launch_template.plain.id
    version = "$Latest"
  }
}

resource "aws_autoscaling_group" "partitioned" {
  name_prefix         = "placement-part-"
  min_size            = 1
  max_size            = 1
  vpc_zone_identifier = [aws_subnet.a.id]
  launch_template {
    id      = aws_launch_template.partitioned.id
    version = "$Latest"
  }
}

resource "aws_instance" "apart" {
  ami                    = data.aws_ssm_parameter.ecs_ami.value
  instance_type          = "c5.large"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.hosts.id]
  placement_group        = aws_placement_group.apart.id
  tags                   = { Name = "placement-apart" }
}

output "close_group_arn" {
  value = aws_placement_group.close.arn
}

output "racks_partitions" {
  value = aws_placement_group.racks.partition_count
}
