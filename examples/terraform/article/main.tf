# The article's system as a Terraform configuration (compare
# examples/seed/article.yaml and examples/cfn/article.yaml): an ECS cluster
# on an Auto Scaling group of EC2 instances in public subnets with public
# IPs, and an awsvpc service whose container listens on port 3000.
#
# The trap: the instance's public IP is on its primary ENI ("ENI 1"); the
# task has its own ENI ("ENI 2") with a private address only, and the
# instance's security group does not open 3000. So
#   curl http://203.0.113.2:3000   times out.
#
#   ecsnet probe examples/terraform/article --from internet --to 203.0.113.2:3000

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

locals {
  name = var.cluster_name
  azs  = [data.aws_availability_zones.available.names[0], data.aws_availability_zones.available.names[2]]
  tags = {
    Project = "article"
  }
}

module "network" {
  source = "./modules/network"

  name = "main"
  cidr = var.vpc_cidr
  azs  = local.azs
}

# SSH only: port 3000 is not open on the instance.
resource "aws_security_group" "instance" {
  name        = "instance-sg"
  description = "ECS container instances"
  vpc_id      = module.network.vpc_id

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  # Terraform removes AWS's default allow-all egress rule: declare it.
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "task" {
  name        = "task-sg"
  description = "the web task"
  vpc_id      = module.network.vpc_id

  dynamic "ingress" {
    for_each = var.task_ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_cluster" "this" {
  name = local.name
}

# The ECS agent registers the instance with the instance role's
# credentials.
resource "aws_iam_role" "ecs_instance" {
  name_prefix = "ecs-instance-"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "ecs_instance" {
  role       = aws_iam_role.ecs_instance.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_instance_profile" "ecs_instance" {
  name_prefix = "ecs-instance-"
  role        = aws_iam_role.ecs_instance.name
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "ecs-node-"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = var.instance_type

  iam_instance_profile {
    arn = aws_iam_instance_profile.ecs_instance.arn
  }

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = true
    security_groups             = [aws_security_group.instance.id]
  }

  user_data = base64encode(templatefile("${path.module}/user_data.sh.tftpl", {
    cluster = aws_ecs_cluster.this.name
  }))
}

resource "aws_autoscaling_group" "ecs" {
  name                = "ecs-asg"
  min_size            = 1
  max_size            = 2
  desired_capacity    = 1
  vpc_zone_identifier = module.network.public_subnet_ids

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }

  tag {
    key                 = "AmazonECSManaged"
    value               = "true"
    propagate_at_launch = true
  }

  # ecsnet's own tag (AWS ignores it): the first instance's public IP, as in
  # the article's output.
  tag {
    key                 = "ecsnet:public-ips"
    value               = "203.0.113.2"
    propagate_at_launch = false
  }
}

resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]

  container_definitions = jsonencode([
    {
      name         = "web"
      image        = "public.ecr.aws/docker/library/node:20"
      memory       = 512
      essential    = true
      portMappings = [for p in var.task_ports : { containerPort = p, protocol = "tcp" }]
    }
  ])
}

resource "aws_ecs_service" "web" {
  name            = "web"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 1
  launch_type     = "EC2"

  network_configuration {
    subnets          = module.network.public_subnet_ids
    security_groups  = [aws_security_group.task.id]
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = aws_lb_target_group.web
    content {
      target_group_arn = load_balancer.value.arn
      container_name   = "web"
      container_port   = 3000
    }
  }

  depends_on = [aws_autoscaling_group.ecs, aws_lb_listener.http]
}
