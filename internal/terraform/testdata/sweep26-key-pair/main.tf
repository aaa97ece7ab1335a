# After philipdaquin/UserService-Asp.Net-7-Sample-App infra/9-ec2-lt.tf:
# a launch template for ECS instances names a key pair by a literal that
# the configuration does not create; in a region without it the Auto
# Scaling group is refused (Guimove/terraform-aws-bastion#173). The
# instance's key comes from an aws_key_pair, the launch configuration's
# from a root module variable.
provider "aws" {
  region = "us-east-2"
}

variable "ops_key" {
  type    = string
  default = "ops"
}

resource "aws_vpc" "main" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.2.0.0/24"
  availability_zone = "us-east-2a"
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "ecs-template"
  image_id      = "ami-062c116e449466e7f"
  instance_type = "t3.micro"
  key_name      = "ec2ecsglog"
}

resource "aws_key_pair" "deployer" {
  key_name   = "deployer"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGm2dWq0h2m1mMtJ9d8dQ4y2PqY9X6u5bJ5gM3oYQ0Zk deployer"
}

resource "aws_instance" "bastion" {
  ami           = "ami-062c116e449466e7f"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.a.id
  key_name      = aws_key_pair.deployer.key_name
}

resource "aws_launch_configuration" "legacy" {
  image_id      = "ami-062c116e449466e7f"
  instance_type = "t3.micro"
  key_name      = var.ops_key
}

module "cluster" {
  source      = "./cluster"
  profile_key = aws_key_pair.deployer.key_name
}
