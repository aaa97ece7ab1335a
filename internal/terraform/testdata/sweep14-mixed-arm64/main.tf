# Two groups on the arm64 ECS AMI parameter: one with Graviton
# overrides, all Spot above an On-Demand base of 1, weighted; one
# whose only type is x86_64, behind a capacity provider a service uses.
provider "aws" {
  region = "eu-west-1"
}

data "aws_ssm_parameter" "arm" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
}

resource "aws_vpc" "v" {
  cidr_block = "10.8.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.8.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_ecs_cluster" "c" {
  name = "mixed"
}

resource "aws_launch_template" "arm" {
  name_prefix   = "arm-"
  image_id      = data.aws_ssm_parameter.arm.value
  instance_type = "t4g.small"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=mixed >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "graviton" {
  name                = "graviton"
  min_size            = 3
  max_size            = 6
  vpc_zone_identifier = [aws_subnet.a.id]
  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 1
      on_demand_percentage_above_base_capacity = 0
    }
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.arm.id
        version            = "$Latest"
      }
      override {
        instance_type     = "t4g.medium"
        weighted_capacity = "2"
      }
      override {
        instance_type     = "t4g.small"
        weighted_capacity = "1"
      }
    }
  }
}

resource "aws_launch_template" "x86" {
  name_prefix   = "x86-"
  image_id      = data.aws_ssm_parameter.arm.value
  instance_type = "t3.small"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=mixed >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "x86" {
  name                  = "x86"
  min_size              = 0
  max_size              = 2
  vpc_zone_identifier   = [aws_subnet.a.id]
  protect_from_scale_in = true
  launch_template {
    id      = aws_launch_template.x86.id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "x86" {
  name = "x86"
  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.x86.arn
    managed_termination_protection = "ENABLED"
    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "c" {
  cluster_name       = aws_ecs_cluster.c.name
  capacity_providers = [aws_ecs_capacity_provider.x86.name]
}

resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([{
    name   = "app"
    image  = "nginx"
    memory = 128
  }])
}

resource "aws_ecs_service" "s" {
  name            = "s"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 1
  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.x86.name
    weight            = 1
  }
  depends_on = [aws_ecs_cluster_capacity_providers.c]
}
