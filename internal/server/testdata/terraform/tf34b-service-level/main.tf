# Round thirty-four, second sweep (docs/terraform-acceptance.md): written for
# ecsnet after the service-level public configurations the sweep applied
# (EreenKara/Blockchain_Based_I_Voting infra/data.tf's ECS AMI found again by
# image-id; sibabalwe47/ecs-cluster's for_each over a map of services;
# ssorato/linuxtips-aws-container-architecture-tf-modules' host-header rules;
# demask/aws_codebuild_codedeploy_nodeJs_demo_terraform's service_registries
# with assign_public_ip). Each service waits for one of the rules forwarding
# to its target group, which is all CreateService needs.
provider "aws" {}

variable "services" {
  default = {
    users  = { port = 8080, host = "users.example.com", path = "/users/*", priority = 10 }
    orders = { port = 8081, host = "orders.example.com", path = "/orders/*", priority = 20 }
  }
}

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_availability_zones" "available" { state = "available" }
data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
}
data "aws_ami" "ecs" {
  most_recent = true
  filter {
    name   = "image-id"
    values = [data.aws_ssm_parameter.ecs_ami.value]
  }
}
data "aws_iam_policy_document" "ec2_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_vpc" "this" {
  cidr_block           = "10.34.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}
resource "aws_internet_gateway" "this" { vpc_id = aws_vpc.this.id }
resource "aws_subnet" "public" {
  count                   = 2
  vpc_id                  = aws_vpc.this.id
  cidr_block              = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  availability_zone       = data.aws_availability_zones.available.names[count.index]
  map_public_ip_on_launch = true
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
}
resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "alb" {
  name   = "tf34b-alb"
  vpc_id = aws_vpc.this.id
}
resource "aws_security_group_rule" "alb_http" {
  type              = "ingress"
  security_group_id = aws_security_group.alb.id
  from_port         = 80
  to_port           = 80
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
resource "aws_security_group_rule" "alb_out" {
  type              = "egress"
  security_group_id = aws_security_group.alb.id
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = [aws_vpc.this.cidr_block]
}
resource "aws_security_group" "tasks" {
  name   = "tf34b-tasks"
  vpc_id = aws_vpc.this.id
}
resource "aws_vpc_security_group_ingress_rule" "tasks_from_alb" {
  for_each                     = var.services
  security_group_id            = aws_security_group.tasks.id
  referenced_security_group_id = aws_security_group.alb.id
  from_port                    = each.value.port
  to_port                      = each.value.port
  ip_protocol                  = "tcp"
}
resource "aws_vpc_security_group_egress_rule" "tasks_out" {
  security_group_id = aws_security_group.tasks.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_lb" "this" {
  name            = "tf34b"
  subnets         = aws_subnet.public[*].id
  security_groups = [aws_security_group.alb.id]
}
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}
resource "aws_lb_target_group" "svc" {
  for_each    = var.services
  name        = "tf34b-${each.key}"
  port        = each.value.port
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.this.id
  health_check {
    path    = "/health"
    matcher = "200-299"
  }
}
resource "aws_lb_listener_rule" "host" {
  for_each     = var.services
  listener_arn = aws_lb_listener.http.arn
  priority     = each.value.priority
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.svc[each.key].arn
  }
  condition {
    host_header { values = [each.value.host] }
  }
}
resource "aws_lb_listener_rule" "path" {
  for_each     = var.services
  listener_arn = aws_lb_listener.http.arn
  priority     = each.value.priority + 100
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.svc[each.key].arn
  }
  condition {
    path_pattern { values = [each.value.path] }
  }
  condition {
    http_header {
      http_header_name = "X-Tenant"
      values           = ["internal", "beta*"]
    }
  }
}

resource "aws_service_discovery_private_dns_namespace" "this" {
  name = "tf34b.internal"
  vpc  = aws_vpc.this.id
}
resource "aws_service_discovery_service" "svc" {
  for_each = var.services
  name     = each.key
  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.this.id
    routing_policy = "MULTIVALUE"
    dns_records {
      ttl  = 10
      type = "A"
    }
  }
  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_ecs_cluster" "this" { name = "tf34b" }
resource "aws_ecs_task_definition" "svc" {
  for_each                 = var.services
  family                   = "tf34b-${each.key}"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name         = each.key
    image        = "public.ecr.aws/nginx/nginx:latest"
    essential    = true
    portMappings = [{ containerPort = each.value.port, protocol = "tcp" }]
  }])
}
resource "aws_ecs_service" "svc" {
  for_each        = var.services
  name            = each.key
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.svc[each.key].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = aws_subnet.public[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = true
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.svc[each.key].arn
    container_name   = each.key
    container_port   = each.value.port
  }
  service_registries {
    registry_arn = aws_service_discovery_service.svc[each.key].arn
  }
  lifecycle { ignore_changes = [desired_count] }
  depends_on = [aws_lb_listener_rule.host]
}
resource "aws_appautoscaling_target" "svc" {
  for_each           = var.services
  min_capacity       = 1
  max_capacity       = 3
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.svc[each.key].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  service_namespace  = "ecs"
}
resource "aws_appautoscaling_policy" "cpu" {
  for_each           = var.services
  name               = "${each.key}-cpu"
  policy_type        = "TargetTrackingScaling"
  resource_id        = aws_appautoscaling_target.svc[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.svc[each.key].scalable_dimension
  service_namespace  = aws_appautoscaling_target.svc[each.key].service_namespace
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
    target_value = 50
  }
}

# The EC2 side: the ECS AMI found by its parameter's image-id, a capacity
# provider with managed scaling and a service placed by it.
resource "aws_iam_role" "host" {
  name               = "tf34b-host"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}
resource "aws_iam_role_policy_attachment" "host" {
  role       = aws_iam_role.host.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}
resource "aws_iam_instance_profile" "host" {
  name = "tf34b-host"
  role = aws_iam_role.host.name
}
resource "aws_launch_template" "host" {
  name_prefix            = "tf34b-"
  image_id               = data.aws_ami.ecs.id
  instance_type          = "t3.small"
  vpc_security_group_ids = [aws_security_group.tasks.id]
  iam_instance_profile { name = aws_iam_instance_profile.host.name }
  user_data = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.this.name} >> /etc/ecs/ecs.config\n")
}
resource "aws_autoscaling_group" "host" {
  name                  = "tf34b-hosts"
  min_size              = 1
  max_size              = 3
  desired_capacity      = 2
  vpc_zone_identifier   = aws_subnet.public[*].id
  protect_from_scale_in = true
  launch_template {
    id      = aws_launch_template.host.id
    version = "$Latest"
  }
  tag {
    key                 = "AmazonECSManaged"
    value               = true
    propagate_at_launch = true
  }
}
resource "aws_ecs_capacity_provider" "host" {
  name = "tf34b-hosts"
  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.host.arn
    managed_termination_protection = "ENABLED"
    managed_scaling {
      maximum_scaling_step_size = 1000
      minimum_scaling_step_size = 1
      status                    = "ENABLED"
      target_capacity           = 10
    }
  }
}
resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = [aws_ecs_capacity_provider.host.name, "FARGATE"]
  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.host.name
    base              = 1
    weight            = 100
  }
}
resource "aws_ecs_task_definition" "bridge" {
  family       = "tf34b-bridge"
  network_mode = "bridge"
  container_definitions = jsonencode([{
    name         = "web"
    image        = "public.ecr.aws/nginx/nginx:latest"
    memory       = 128
    essential    = true
    portMappings = [{ containerPort = 80, hostPort = 0 }]
  }])
}
resource "aws_ecs_service" "bridge" {
  name            = "bridge"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.bridge.arn
  desired_count   = 2
  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.host.name
    weight            = 1
    base              = 1
  }
  ordered_placement_strategy {
    type  = "spread"
    field = "attribute:ecs.availability-zone"
  }
  ordered_placement_strategy {
    type  = "binpack"
    field = "memory"
  }
  placement_constraints {
    type       = "memberOf"
    expression = "attribute:ecs.instance-type =~ t3.*"
  }
  depends_on = [aws_ecs_cluster_capacity_providers.this]
}

output "ami" { value = data.aws_ami.ecs.id }
output "where" { value = "${data.aws_caller_identity.current.account_id}/${data.aws_region.current.name}" }
