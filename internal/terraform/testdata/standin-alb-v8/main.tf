# The registry ALB module's older list interface (target_groups list,
# http_tcp_listeners), not installed: read with ecsnet's stand-in.
provider "aws" { region = "us-east-1" }
data "aws_availability_zones" "available" {}
module "vpc" {
  source         = "terraform-aws-modules/vpc/aws"
  version        = "3.19.0"
  name           = "old"
  cidr           = "10.9.0.0/16"
  azs            = slice(data.aws_availability_zones.available.names, 0, 2)
  public_subnets = ["10.9.0.0/24", "10.9.1.0/24"]
}
resource "aws_security_group" "alb" {
  vpc_id = module.vpc.vpc_id
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
module "alb" {
  source          = "terraform-aws-modules/alb/aws"
  version         = "~> 8.0"
  name            = "old"
  vpc_id          = module.vpc.vpc_id
  subnets         = module.vpc.public_subnets
  security_groups = [aws_security_group.alb.id]
  target_groups = [{
    name_prefix      = "app-"
    backend_protocol = "HTTP"
    backend_port     = 80
    target_type      = "instance"
  }]
  http_tcp_listeners = [{
    port               = 80
    protocol           = "HTTP"
    target_group_index = 0
  }]
}
output "tg" { value = module.alb.target_group_arns }
output "dns" { value = module.alb.lb_dns_name }
