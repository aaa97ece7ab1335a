# Round 15: a capacity provider's managed scaling step sizes, warm-up
# period and managed draining reach ECS (Edjonathan/aws's cluster set
# the step sizes; they were said unread), and a service's
# force_new_deployment and triggers, which the provider sends on update
# only, are read as changing nothing on create.
provider "aws" {
  region = "eu-west-1"
}
resource "aws_vpc" "v" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "pub" {
  vpc_id                  = aws_vpc.v.id
  cidr_block              = "10.0.1.0/24"
  availability_zone       = "eu-west-1a"
  map_public_ip_on_launch = true
}
resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}
resource "aws_route_table_association" "pub" {
  subnet_id      = aws_subnet.pub.id
  route_table_id = aws_route_table.pub.id
}
resource "aws_security_group" "hosts" {
  vpc_id = aws_vpc.v.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
}
resource "aws_iam_instance_profile" "ecs" {
  name = "ecs"
}
resource "aws_launch_template" "lt" {
  image_id               = data.aws_ssm_parameter.ami.value
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.hosts.id]
  user_data              = base64encode("#!/bin/bash\necho ECS_CLUSTER=scale >> /etc/ecs/ecs.config\n")
  iam_instance_profile {
    name = aws_iam_instance_profile.ecs.name
  }
}
resource "aws_autoscaling_group" "hosts" {
  name                  = "hosts"
  vpc_zone_identifier   = [aws_subnet.pub.id]
  min_size              = 1
  max_size              = 2
  desired_capacity      = 1
  protect_from_scale_in = true
  launch_template {
    id      = aws_launch_template.lt.id
    version = "$Latest"
  }
}
resource "aws_ecs_cluster" "c" {
  name = "scale"
}
resource "aws_ecs_capacity_provider" "cp" {
  name = "hosts"
  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.hosts.arn
    managed_termination_protection = "ENABLED"
    managed_draining               = "DISABLED"
    managed_scaling {
      status                    = "ENABLED"
      target_capacity           = 60
      minimum_scaling_step_size = 2
      maximum_scaling_step_size = 10
      instance_warmup_period    = 120
    }
  }
}
resource "aws_ecs_cluster_capacity_providers" "c" {
  cluster_name       = aws_ecs_cluster.c.name
  capacity_providers = [aws_ecs_capacity_provider.cp.name]
  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.cp.name
    weight            = 1
  }
}
resource "aws_ecs_task_definition" "t" {
  family                   = "web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  container_definitions    = jsonencode([{ name = "web", image = "nginx", memory = 128, portMappings = [{ containerPort = 80 }] }])
}
resource "aws_ecs_service" "s" {
  name            = "web"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 2
  force_new_deployment = true
  triggers = {
    redeploy = "1"
  }
  network_configuration {
    subnets         = [aws_subnet.pub.id]
    security_groups = [aws_security_group.hosts.id]
  }
  depends_on = [aws_ecs_cluster_capacity_providers.c]
}
