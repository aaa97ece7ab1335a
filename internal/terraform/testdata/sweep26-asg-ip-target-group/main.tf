# After dongnguyenltqb/tf-ecs-basic alb.tf: a target group for an awsvpc
# service (target type ip) is also attached to the container instances'
# Auto Scaling group, which registers instances by id; Auto Scaling
# refuses it (hashicorp/terraform#18674).
provider "aws" {
  region = "ap-southeast-1"
}

data "aws_vpc" "default" {
  default = true
}

resource "aws_security_group" "hosts" {
  name   = "hosts"
  vpc_id = data.aws_vpc.default.id
}

resource "aws_launch_template" "ecs" {
  name_prefix            = "ecs"
  image_id               = "ami-0c1f2a3b4d5e6f708"
  instance_type          = "t3.medium"
  vpc_security_group_ids = [aws_security_group.hosts.id]
}

resource "aws_autoscaling_group" "group" {
  availability_zones = ["ap-southeast-1a", "ap-southeast-1b"]
  desired_capacity   = 1
  max_size           = 2
  min_size           = 0
  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

resource "aws_lb_target_group" "webapp" {
  name        = "webapp"
  port        = 80
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = data.aws_vpc.default.id
}

resource "aws_autoscaling_attachment" "lb" {
  autoscaling_group_name = aws_autoscaling_group.group.name
  lb_target_group_arn    = aws_lb_target_group.webapp.arn
}
