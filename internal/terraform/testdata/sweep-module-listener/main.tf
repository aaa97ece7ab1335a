# Round ten: the ECS module (the stand-in) makes the service; its caller
# makes the listener that puts the target group behind the load balancer.
# The module does not depend on the listener, so Terraform may create the
# service first, and ECS refuses it.
provider "aws" {
  region = "us-east-1"
}

module "vpc" {
  source         = "terraform-aws-modules/vpc/aws"
  name           = "m"
  cidr           = "10.30.0.0/16"
  azs            = ["us-east-1a", "us-east-1b"]
  public_subnets = ["10.30.1.0/24", "10.30.2.0/24"]
}

resource "aws_security_group" "alb" {
  name   = "alb"
  vpc_id = module.vpc.vpc_id
}

resource "aws_lb" "app" {
  name            = "app"
  security_groups = [aws_security_group.alb.id]
  subnets         = module.vpc.public_subnets
}

resource "aws_lb_target_group" "app" {
  name        = "app"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = module.vpc.vpc_id
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.app.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

module "ecs" {
  source       = "terraform-aws-modules/ecs/aws"
  version      = "5.12.1"
  cluster_name = "m"
  services = {
    web = {
      cpu              = 256
      memory           = 512
      assign_public_ip = true
      subnet_ids       = module.vpc.public_subnets
      container_definitions = {
        app = {
          image         = "nginx"
          port_mappings = [{ containerPort = 8080 }]
        }
      }
      load_balancer = {
        service = {
          target_group_arn = aws_lb_target_group.app.arn
          container_name   = "app"
          container_port   = 8080
        }
      }
    }
  }
}
