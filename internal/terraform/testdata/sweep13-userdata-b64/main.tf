# An instance on the default VPC whose user data is given already encoded
# (user_data = base64encode(...)), and a launch configuration whose user
# data is text: the provider sends the first as written and encodes the
# second; both join the cluster.
provider "aws" {
  region = "eu-west-1"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

resource "aws_ecs_cluster" "main" {
  name = "b64"
}

resource "aws_security_group" "host" {
  name   = "host"
  vpc_id = data.aws_vpc.default.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "encoded" {
  ami                         = "ami-0abcdef1234567890"
  instance_type               = "t3.small"
  subnet_id                   = data.aws_subnets.default.ids[0]
  vpc_security_group_ids      = [aws_security_group.host.id]
  associate_public_ip_address = true
  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config
  EOT
  )
}

resource "aws_launch_configuration" "text" {
  image_id                    = "ami-0abcdef1234567890"
  instance_type               = "t3.small"
  security_groups             = [aws_security_group.host.id]
  associate_public_ip_address = true
  user_data                   = "#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config\n"
}

resource "aws_autoscaling_group" "text" {
  launch_configuration = aws_launch_configuration.text.name
  vpc_zone_identifier  = [data.aws_subnets.default.ids[1]]
  min_size             = 1
  max_size             = 1
}
