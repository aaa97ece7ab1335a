# An instance's availability_zone: without a subnet it picks that zone's
# default subnet; with a subnet of another zone EC2 refuses the launch.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_instance" "b" {
  ami               = "ami-0c1f2a3b4d5e6f708"
  instance_type     = "t3.micro"
  availability_zone = "eu-west-1b"
}

resource "aws_instance" "c" {
  ami               = "ami-0c1f2a3b4d5e6f708"
  instance_type     = "t3.micro"
  availability_zone = "eu-west-1c"
}
