provider "aws" {
  region = "us-east-1"
}

# A Classic Load Balancer and its Auto Scaling group placed by zone names,
# not subnets: both land in the default VPC's default subnets. Nothing
# else of the configuration names the default VPC.
resource "aws_elb" "web" {
  name               = "web"
  availability_zones = ["us-east-1b", "us-east-1c"]

  listener {
    instance_port     = 8080
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}

resource "aws_launch_template" "web" {
  name_prefix   = "web-"
  image_id      = "ami-0c1f2a3b4d5e6f708"
  instance_type = "t3.micro"
}

resource "aws_autoscaling_group" "web" {
  name               = "web"
  availability_zones = ["us-east-1b", "us-east-1c"]
  min_size           = 1
  max_size           = 2
  load_balancers     = [aws_elb.web.name]

  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }
}
