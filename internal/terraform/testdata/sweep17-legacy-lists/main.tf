# After maclennann/terraform-ecs-autoscaling ecs-autoscaling.tf @07fa4b87
# (Terraform 0.11): two lists written ["${split(",", var.x)}"], a list in
# a list to Terraform 0.12 and later. The group's launch configuration is
# given by name here (the repository's own one has the same mistake).
provider "aws" {
  region = "us-east-1"
}

variable "availability_zones" { default = "us-east-1a,us-east-1b" }
variable "subnet_ids" { default = "subnet-1,subnet-2" }

resource "aws_autoscaling_group" "ecs-cluster" {
  availability_zones = ["${split(",", var.availability_zones)}"]
  vpc_zone_identifier = ["${split(",", var.subnet_ids)}"]
  name = "ECS c"
  min_size = "1"
  max_size = "5"
  launch_configuration = "ECS c"
}
