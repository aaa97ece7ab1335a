# After dongnguyenltqb/tf-ecs-basic cluster.tf: a capacity provider for an
# Auto Scaling group whose configuration has no AmazonECSManaged tag. ECS
# adds the tag; the second plan of a real apply removed it (an update in
# place). The second group declares it.
provider "aws" {
  region = "ap-southeast-1"
}

data "aws_vpc" "default" {
  default = true
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "ecs"
  image_id      = "ami-0c1f2a3b4d5e6f708"
  instance_type = "t3.medium"
}

resource "aws_autoscaling_group" "untagged" {
  availability_zones = ["ap-southeast-1a"]
  max_size           = 2
  min_size           = 0
  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

resource "aws_autoscaling_group" "tagged" {
  availability_zones = ["ap-southeast-1b"]
  max_size           = 2
  min_size           = 0
  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
  tag {
    key                 = "AmazonECSManaged"
    value               = true
    propagate_at_launch = true
  }
}

resource "aws_ecs_capacity_provider" "untagged" {
  name = "ec2_t1"
  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.untagged.arn
  }
}

resource "aws_ecs_capacity_provider" "tagged" {
  name = "ec2_t2"
  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.tagged.arn
  }
}
