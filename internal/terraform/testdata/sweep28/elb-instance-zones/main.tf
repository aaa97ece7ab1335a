provider "aws" {
  region = "us-west-2"
}

# Three instances in the default VPC, the load balancer in their zones:
# the list names one zone three times, a set once.
resource "aws_instance" "web" {
  count         = 3
  ami           = "ami-0c1f2a3b4d5e6f708"
  instance_type = "t3.micro"
}

resource "aws_elb" "web" {
  name               = "web"
  availability_zones = aws_instance.web[*].availability_zone
  instances          = aws_instance.web[*].id

  listener {
    instance_port     = 80
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}
