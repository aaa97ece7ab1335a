resource "aws_ecs_capacity_provider" "cp" {
  name = "cp"
  auto_scaling_group_provider {
    auto_scaling_group_arn = "asg"
  }
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = "r"
  policy_arn = "pol"
}
resource "aws_appautoscaling_target" "t" {
  max_capacity       = 2
  min_capacity       = 1
  resource_id        = "service/c/s"
  scalable_dimension = "ecs:service:DesiredCount"
  service_namespace  = "ecs"
  role_arn           = "role"
}
resource "aws_cloudwatch_log_group" "g" {
  name       = "g"
  kms_key_id = "key"
}
resource "aws_launch_template" "lt" {
  name = "ltx"
  iam_instance_profile {
    arn = "prof"
  }
}
resource "aws_autoscaling_group" "g" {
  max_size = 1
  min_size = 1
  launch_configuration = "lc"
  target_group_arns = ["tg1", "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1"]
  service_linked_role_arn = "slr"
  vpc_zone_identifier = ["subnet-1"]
}
resource "aws_lb_listener_certificate" "c" {
  listener_arn    = "l"
  certificate_arn = "c"
}
resource "aws_ecs_cluster" "c" {
  name = "c"
  configuration {
    execute_command_configuration {
      kms_key_id = "k"
    }
  }
}
resource "aws_service_discovery_service" "s" {
  name = "s"
  namespace_id = "ns-1"
}
resource "aws_lb_target_group_attachment" "b" {
  target_group_arn = "arn:aws"
  target_id        = "i-123"
}
resource "aws_ecs_task_definition" "t2" {
  family                = "t2"
  container_definitions = "[]"
  execution_role_arn    = "arn::iam::123456789012:role/x"
  task_role_arn         = "arn:aws:iam:US-EAST:12:"
}
resource "aws_lb_listener" "w2" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
  port = 80
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
    }
  }
}
resource "aws_iam_role_policy_attachment" "upper" {
  role       = "r"
  policy_arn = "arn:AWS:iam::aws:policy/AmazonECSTaskExecutionRolePolicy"
}
resource "aws_iam_role_policy_attachment" "managed" {
  role       = "r"
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
