variable "vpc_id" {
  type = string
}

resource "aws_lb_target_group" "app" {
  name        = "app"
  port        = 5000
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
