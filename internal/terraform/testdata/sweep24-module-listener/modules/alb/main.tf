variable "vpc_id" {}
variable "subnet_ids" {}

resource "aws_security_group" "lb" {
  name   = "lb"
  vpc_id = var.vpc_id
  ingress {
    protocol    = "tcp"
    from_port   = 80
    to_port     = 82
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "this" {
  name            = "web"
  security_groups = [aws_security_group.lb.id]
  subnets         = var.subnet_ids
}

resource "aws_lb_target_group" "tg" {
  for_each    = toset(["blue", "green", "third"])
  name        = each.key
  port        = 80
  protocol    = "HTTP"
  vpc_id      = var.vpc_id
  target_type = "ip"
}

resource "aws_lb_listener" "http" {
  for_each          = { blue = 80, green = 81, third = 82 }
  load_balancer_arn = aws_lb.this.arn
  port              = each.value
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tg[each.key].arn
  }
}

output "blue_arn" { value = aws_lb_target_group.tg["blue"].arn }
output "green_arn" { value = aws_lb_target_group.tg["green"].arn }
output "forwarded_arn" { value = aws_lb_listener.http["third"].default_action[0].target_group_arn }
output "sg_id" { value = aws_security_group.lb.id }
