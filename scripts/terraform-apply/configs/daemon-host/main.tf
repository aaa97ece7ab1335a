# Agents and daemons on ECS container instances, as monitoring and log
# shipping blog posts write them: a DAEMON service with host networking,
# pid and ipc modes, bind mounts and a Docker volume; an account setting
# default (awsvpcTrunking, containerInsights); a classic Auto Scaling group
# attached to a target group with aws_autoscaling_attachment; an IP target
# registered by aws_lb_target_group_attachment; an EXTERNAL deployment
# controller service with an aws_ecs_task_set; aws_ecs_tag on the cluster;
# an IAM customer managed policy attached with aws_iam_policy_attachment
# and a role with a path and max session duration.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "us-east-2"
}

data "aws_availability_zones" "azs" { state = "available" }
data "aws_caller_identity" "me" {}
data "aws_region" "current" {}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}

resource "aws_ecs_account_setting_default" "insights" {
  name  = "containerInsights"
  value = "enabled"
}

resource "aws_vpc" "this" {
  cidr_block           = "172.20.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_subnet" "this" {
  count                   = 2
  vpc_id                  = aws_vpc.this.id
  cidr_block              = cidrsubnet(aws_vpc.this.cidr_block, 4, count.index)
  availability_zone       = data.aws_availability_zones.azs.names[count.index]
  map_public_ip_on_launch = true
}

resource "aws_route_table" "this" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
}

resource "aws_route_table_association" "this" {
  count          = 2
  subnet_id      = aws_subnet.this[count.index].id
  route_table_id = aws_route_table.this.id
}

resource "aws_security_group" "lb" {
  name   = "daemon-lb"
  vpc_id = aws_vpc.this.id
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "hosts" {
  name   = "daemon-hosts"
  vpc_id = aws_vpc.this.id
  ingress {
    from_port       = 9100
    to_port         = 9100
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }
  ingress {
    from_port       = 80
    to_port         = 80
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_iam_role" "host" {
  name                 = "daemon-host"
  path                 = "/ecs/"
  max_session_duration = 7200
  description          = "ECS container instances"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_policy" "host_extra" {
  name        = "daemon-host-extra"
  path        = "/ecs/"
  description = "describe tags for the agents"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ec2:DescribeTags", "ecs:ListClusters", "ecs:DescribeContainerInstances"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_policy_attachment" "host_extra" {
  name       = "daemon-host-extra"
  roles      = [aws_iam_role.host.name]
  policy_arn = aws_iam_policy.host_extra.arn
}

resource "aws_iam_role_policy_attachment" "host_ecs" {
  role       = aws_iam_role.host.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_instance_profile" "host" {
  name = "daemon-host"
  path = "/ecs/"
  role = aws_iam_role.host.name
}

resource "aws_ecs_cluster" "this" {
  name = "daemons"
  lifecycle { ignore_changes = [tags] }
}

# aws_ecs_tag beside the aws_ecs_cluster it tags is a perpetual diff (the
# provider's documentation warns of it; the first run of this configuration
# showed it), unless the cluster ignores its tags.
resource "aws_ecs_tag" "team" {
  resource_arn = aws_ecs_cluster.this.arn
  key          = "Team"
  value        = "platform"
}

resource "aws_launch_template" "host" {
  name                   = "daemon-host"
  image_id               = data.aws_ssm_parameter.ecs_ami.value
  instance_type          = "t3.medium"
  vpc_security_group_ids = [aws_security_group.hosts.id]
  iam_instance_profile { name = aws_iam_instance_profile.host.name }
  user_data = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.this.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "hosts" {
  name                = "daemon-hosts"
  min_size            = 2
  max_size            = 2
  vpc_zone_identifier = aws_subnet.this[*].id
  launch_template {
    id      = aws_launch_template.host.id
    version = aws_launch_template.host.latest_version
  }
  lifecycle { ignore_changes = [load_balancers, target_group_arns] }
  depends_on = [aws_iam_role_policy_attachment.host_ecs, aws_route_table_association.this]
}

resource "aws_lb" "this" {
  name               = "daemons"
  load_balancer_type = "application"
  internal           = false
  subnets            = aws_subnet.this[*].id
  security_groups    = [aws_security_group.lb.id]
}

resource "aws_lb_target_group" "metrics" {
  name     = "daemon-metrics"
  port     = 9100
  protocol = "HTTP"
  vpc_id   = aws_vpc.this.id
  health_check {
    path = "/metrics"
    port = "9100"
  }
}

resource "aws_lb_target_group" "ip" {
  name        = "daemon-ip"
  port        = 80
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.this.id
}

resource "aws_lb_target_group_attachment" "ip" {
  target_group_arn = aws_lb_target_group.ip.arn
  target_id        = cidrhost(aws_subnet.this[0].cidr_block, 50)
  port             = 80
}

resource "aws_autoscaling_attachment" "metrics" {
  autoscaling_group_name = aws_autoscaling_group.hosts.id
  lb_target_group_arn    = aws_lb_target_group.metrics.arn
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.metrics.arn
  }
}

resource "aws_lb_listener_rule" "ip" {
  listener_arn = aws_lb_listener.http.arn
  priority     = 5
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ip.arn
  }
  condition {
    path_pattern { values = ["/legacy/*"] }
  }
}

resource "aws_ecs_task_definition" "node_exporter" {
  family                   = "node-exporter"
  network_mode             = "host"
  pid_mode                 = "host"
  ipc_mode                 = "host"
  requires_compatibilities = ["EC2"]
  volume {
    name      = "proc"
    host_path = "/proc"
  }
  volume {
    name      = "sys"
    host_path = "/sys"
  }
  volume {
    name = "state"
    docker_volume_configuration {
      scope         = "shared"
      autoprovision = true
      driver        = "local"
      labels        = { purpose = "state" }
    }
  }
  placement_constraints {
    type       = "memberOf"
    expression = "attribute:ecs.os-type == linux"
  }
  container_definitions = jsonencode([{
    name              = "node-exporter"
    image             = "quay.io/prometheus/node-exporter:latest"
    essential         = true
    cpu               = 64
    memory            = 128
    memoryReservation = 64
    command           = ["--path.procfs=/host/proc", "--path.sysfs=/host/sys"]
    portMappings      = [{ containerPort = 9100, hostPort = 9100, protocol = "tcp" }]
    mountPoints = [
      { sourceVolume = "proc", containerPath = "/host/proc", readOnly = true },
      { sourceVolume = "sys", containerPath = "/host/sys", readOnly = true },
      { sourceVolume = "state", containerPath = "/state" },
    ]
    privileged             = false
    readonlyRootFilesystem = true
    ulimits                = [{ name = "nofile", softLimit = 65536, hardLimit = 65536 }]
    dockerLabels           = { "prometheus.io/scrape" = "true" }
  }])
}

resource "aws_ecs_service" "node_exporter" {
  name                               = "node-exporter"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.node_exporter.arn
  scheduling_strategy                = "DAEMON"
  launch_type                        = "EC2"
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100
  enable_ecs_managed_tags            = true
  propagate_tags                     = "TASK_DEFINITION"
}

resource "aws_ecs_task_definition" "web" {
  family                   = "external-web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name         = "web"
    image        = "public.ecr.aws/nginx/nginx:latest"
    essential    = true
    portMappings = [{ containerPort = 80 }]
  }])
}

resource "aws_ecs_service" "external" {
  name          = "external"
  cluster       = aws_ecs_cluster.this.id
  desired_count = 1
  deployment_controller {
    type = "EXTERNAL"
  }
}

resource "aws_ecs_task_set" "blue" {
  service         = aws_ecs_service.external.id
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.web.arn
  external_id     = "blue"
  launch_type     = "FARGATE"
  # ECS refuses to delete a task set scaled above 0 without force (the
  # first run's destroy: the task set stayed, and with it its task's public
  # IP, so the internet gateway could not be detached).
  force_delete = true
  network_configuration {
    subnets          = aws_subnet.this[*].id
    security_groups  = [aws_security_group.hosts.id]
    assign_public_ip = true
  }
  scale {
    unit  = "PERCENT"
    value = 100
  }
}
