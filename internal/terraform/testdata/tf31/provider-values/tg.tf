resource "aws_lb_target_group" "slow" {
  name                 = "slow"
  port                 = 80
  protocol             = "HTTP"
  vpc_id               = "vpc-1"
  deregistration_delay = 4000
  slow_start           = 10
  health_check {
    unhealthy_threshold = 1
    protocol            = "HTTPX"
    port                = "70000"
  }
}
resource "aws_ecs_service" "grace" {
  name                              = "grace"
  task_definition                   = "t"
  health_check_grace_period_seconds = -1
}
