# Lifecycle hooks: one the group has from its creation
# (initial_lifecycle_hook: the instance it launches waits on it) and one
# aws_autoscaling_lifecycle_hook, put once the group has its capacity.
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_launch_template" "hosts" {
  name          = "hosts"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}

resource "aws_autoscaling_group" "hosts" {
  name                = "hosts"
  vpc_zone_identifier = [aws_subnet.a.id]
  min_size            = 1
  max_size            = 2
  health_check_type   = "ELB"
  launch_template {
    id      = aws_launch_template.hosts.id
    version = "$Latest"
  }
  initial_lifecycle_hook {
    name                 = "boot"
    lifecycle_transition = "autoscaling:EC2_INSTANCE_LAUNCHING"
    heartbeat_timeout    = 120
  }
}

resource "aws_autoscaling_lifecycle_hook" "drain" {
  name                   = "drain"
  autoscaling_group_name = aws_autoscaling_group.hosts.name
  lifecycle_transition   = "autoscaling:EC2_INSTANCE_TERMINATING"
  default_result         = "CONTINUE"
  notification_metadata  = jsonencode({ cluster = "main" })
}

output "drain_id" {
  value = aws_autoscaling_lifecycle_hook.drain.id
}
