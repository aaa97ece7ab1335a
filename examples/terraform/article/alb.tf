# The first remedy, off by default: an internet-facing Application Load
# Balancer in front of the service (target type ip, port 3000).
#
#   ecsnet probe examples/terraform/article --param enable_alb=true --from internet --to aws_lb.web
#
# Terraform gives a new security group no egress: the load balancer's group
# declares its way to the tasks.

variable "enable_alb" {
  type    = bool
  default = false
}

resource "aws_security_group" "alb" {
  count = var.enable_alb ? 1 : 0

  name        = "web-alb-sg"
  description = "load balancer for web"
  vpc_id      = module.network.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  count = var.enable_alb ? 1 : 0

  security_group_id = aws_security_group.alb[0].id
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_tasks" {
  count = var.enable_alb ? 1 : 0

  security_group_id            = aws_security_group.alb[0].id
  ip_protocol                  = "tcp"
  from_port                    = 3000
  to_port                      = 3000
  referenced_security_group_id = aws_security_group.task.id
}

resource "aws_lb" "web" {
  count = var.enable_alb ? 1 : 0

  name               = "web-alb"
  load_balancer_type = "application"
  subnets            = module.network.public_subnet_ids
  security_groups    = [aws_security_group.alb[0].id]
}

resource "aws_lb_target_group" "web" {
  count = var.enable_alb ? 1 : 0

  name        = "web-tg"
  port        = 3000
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = module.network.vpc_id

  health_check {
    path    = "/"
    matcher = "200-299"
  }
}

resource "aws_lb_listener" "http" {
  count = var.enable_alb ? 1 : 0

  load_balancer_arn = aws_lb.web[0].arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web[0].arn
  }
}
