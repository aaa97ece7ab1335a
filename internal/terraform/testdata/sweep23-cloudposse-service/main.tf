provider "aws" {
  region = "eu-west-1"
}
variable "project" { default = "shop" }
variable "env" { default = "dev" }

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 3.0"
  name = "${var.project}-${var.env}"
  cidr = "10.10.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b"]
  private_subnets = ["10.10.1.0/24", "10.10.2.0/24"]
  public_subnets  = ["10.10.101.0/24", "10.10.102.0/24"]
  enable_nat_gateway = true
  single_nat_gateway = true
}

module "sg_alb" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 4.0"
  name        = "${var.project}-${var.env}-alb"
  vpc_id      = module.vpc.vpc_id
  ingress_cidr_blocks = ["0.0.0.0/0"]
  ingress_rules       = ["http-80-tcp"]
  egress_rules        = ["all-all"]
}

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 6.0"
  name               = "${var.project}-${var.env}"
  load_balancer_type = "application"
  vpc_id             = module.vpc.vpc_id
  subnets            = module.vpc.public_subnets
  security_groups    = [module.sg_alb.security_group_id]
  target_groups = [
    {
      name_prefix      = "proxy-"
      backend_protocol = "HTTP"
      backend_port     = 80
      target_type      = "ip"
    }
  ]
  http_tcp_listeners = [
    {
      port               = 80
      protocol           = "HTTP"
      target_group_index = 0
    }
  ]
}

module "ecs" {
  source  = "terraform-aws-modules/ecs/aws"
  version = "~> 3.0"
  name = "${var.project}-${var.env}"
}

module "ecs-container-definition" {
  source          = "cloudposse/ecs-container-definition/aws"
  version         = "0.58.1"
  container_name  = "proxy-${var.project}-${var.env}"
  container_image = "nginx:1.25"
  port_mappings = [
    {
      containerPort = 80
      hostPort      = 80
      protocol      = "tcp"
    }
  ]
}

module "ecs-service-fargate" {
  source  = "cloudposse/ecs-alb-service-task/aws"
  version = "0.60.0"

  name                      = "${var.project}-${var.env}"
  ecs_cluster_arn           = module.ecs.ecs_cluster_arn
  container_definition_json = "[${module.ecs-container-definition.json_map_encoded}]"
  vpc_id                    = module.vpc.vpc_id
  subnet_ids                = module.vpc.private_subnets[*]

  ecs_load_balancers = [
    {
      target_group_arn = module.alb.target_group_arns[0],
      container_name   = "proxy-${var.project}-${var.env}",
      container_port   = 80,
      elb_name         = null
    },
  ]

  ignore_changes_desired_count   = false
  ignore_changes_task_definition = false
  launch_type                    = "FARGATE"
  network_mode                   = "awsvpc"
  security_group_ids             = [module.sg_alb.security_group_id]
  desired_count                  = 1
}

# The module's own group admitting the load balancer's (use_alb_security_group).
resource "aws_lb_target_group" "api" {
  name        = "api"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = module.vpc.vpc_id
}

resource "aws_lb_listener_rule" "api" {
  listener_arn = module.alb.http_tcp_listener_arns[0]
  priority     = 10
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
  condition {
    path_pattern {
      values = ["/api/*"]
    }
  }
}

module "api" {
  source  = "cloudposse/ecs-alb-service-task/aws"
  version = "0.78.0"

  namespace                 = "shop"
  stage                     = "dev"
  name                      = "api"
  ecs_cluster_arn           = module.ecs.ecs_cluster_arn
  container_definition_json = jsonencode([{ name = "api", image = "nginx:1.25", essential = true, portMappings = [{ containerPort = 8080 }] }])
  vpc_id                    = module.vpc.vpc_id
  subnet_ids                = module.vpc.private_subnets
  use_alb_security_group    = true
  alb_security_group        = module.sg_alb.security_group_id
  ecs_load_balancers = [{
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "api"
    container_port   = 8080
    elb_name         = null
  }]
  depends_on = [aws_lb_listener_rule.api]
}
