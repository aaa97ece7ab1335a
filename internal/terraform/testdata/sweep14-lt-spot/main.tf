# A launch template that asks for Spot Instances (instance_market_options)
# and detailed monitoring, behind an Auto Scaling group; another without.
resource "aws_vpc" "v" {
  cidr_block = "10.3.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.3.1.0/24"
}

resource "aws_launch_template" "spot" {
  name_prefix   = "spot-"
  image_id      = "ami-0c1f2a3b4d5e6f708"
  instance_type = "t3.small"
  monitoring {
    enabled = true
  }
  instance_market_options {
    market_type = "spot"
    spot_options {
      max_price = "0.05"
    }
  }
}

resource "aws_launch_template" "od" {
  name_prefix   = "od-"
  image_id      = "ami-0c1f2a3b4d5e6f708"
  instance_type = "t3.small"
}

resource "aws_autoscaling_group" "g" {
  for_each            = { spot = aws_launch_template.spot.id, od = aws_launch_template.od.id }
  name                = each.key
  min_size            = 1
  max_size            = 1
  vpc_zone_identifier = [aws_subnet.a.id]
  launch_template {
    id      = each.value
    version = "$Latest"
  }
}
