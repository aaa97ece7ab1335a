# GPU instance types of the ECS GPU AMI's usual hosts: a group of
# g5.12xlarge on the AL2023 GPU parameter, and a g4dn.xlarge.
provider "aws" {
  region = "us-west-2"
}

data "aws_ssm_parameter" "gpu" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended"
}

resource "aws_vpc" "v" {
  cidr_block = "10.7.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.7.1.0/24"
  availability_zone = "us-west-2a"
}

resource "aws_launch_template" "gpu" {
  name          = "gpu"
  image_id      = jsondecode(data.aws_ssm_parameter.gpu.value)["image_id"]
  instance_type = "g5.12xlarge"
}

resource "aws_autoscaling_group" "gpu" {
  name                = "gpu"
  min_size            = 1
  max_size            = 1
  vpc_zone_identifier = [aws_subnet.a.id]
  launch_template {
    id = aws_launch_template.gpu.id
  }
}

resource "aws_instance" "t4" {
  ami           = jsondecode(data.aws_ssm_parameter.gpu.value)["image_id"]
  instance_type = "g4dn.xlarge"
  subnet_id     = aws_subnet.a.id
}
