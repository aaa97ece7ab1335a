variable "name_prefix" {}
variable "subnet_public_id_a" {}
variable "subnet_public_id_c" {}
variable "alb_sg_id" {}

resource "aws_lb" "default" {
  name            = "${var.name_prefix}-alb"
  security_groups = [var.alb_sg_id]
  subnets         = [var.subnet_public_id_a, var.subnet_public_id_c]
}
