# Written for ecsnet (round thirty-seven) after the shape of
# cloudposse/terraform-aws-ecs-alb-service-task examples/blue-green
# (cloudposse's vpc 2.0.0, dynamic-subnets 2.4.2, ecs-container-definition
# 0.58.2 and the service-task module, not installed: read with ecsnet's
# stand-ins, as are its cloudposse/alb 2.5.0 and iam-policy 0.4.0): ECS's
# own blue/green through the module's deployment_configuration and the
# load balancer's advanced_configuration, and a CODE_DEPLOY service
# through deployment_controller_type.
provider "aws" {
  region = "us-east-2"
}

module "this" {
  source    = "cloudposse/label/null"
  version   = "0.25.0"
  namespace = "eg"
  stage     = "test"
  name      = "ecs-bg"
}

module "vpc" {
  source  = "cloudposse/vpc/aws"
  version = "2.0.0"

  ipv4_primary_cidr_block = "172.16.0.0/16"

  context = module.this.context
}

module "subnets" {
  source  = "cloudposse/dynamic-subnets/aws"
  version = "2.4.2"

  availability_zones   = ["us-east-2a", "us-east-2b"]
  vpc_id               = module.vpc.vpc_id
  igw_id               = [module.vpc.igw_id]
  ipv4_cidr_block      = [module.vpc.vpc_cidr_block]
  nat_gateway_enabled  = false
  nat_instance_enabled = false

  context = module.this.context
}

resource "aws_ecs_cluster" "default" {
  name = module.this.id
}

module "container_definition" {
  source  = "cloudposse/ecs-container-definition/aws"
  version = "0.58.2"

  container_name  = "nginx"
  container_image = "public.ecr.aws/nginx/nginx:stable-alpine"
  container_cpu   = 256
  port_mappings   = [{ containerPort = 80, hostPort = 80, protocol = "tcp" }]
}

module "test_policy" {
  source  = "cloudposse/iam-policy/aws"
  version = "0.4.0"

  name       = "policy"
  attributes = ["test"]

  iam_policy_enabled = true
  description        = "Test policy"

  iam_policy_statements = [
    {
      sid       = "DummyStatement"
      effect    = "Allow"
      actions   = ["none:null"]
      resources = ["*"]
    }
  ]

  context = module.this.context
}

module "alb" {
  source  = "cloudposse/alb/aws"
  version = "2.5.0"

  vpc_id              = module.vpc.vpc_id
  subnet_ids          = module.subnets.public_subnet_ids
  target_group_port   = 80
  health_check_path   = "/"
  access_logs_enabled = false

  context = module.this.context
}

resource "aws_lb_target_group" "alternate" {
  name_prefix = "bgalt"
  port        = 80
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = module.vpc.vpc_id
}

resource "aws_lb_listener_rule" "blue_green" {
  listener_arn = module.alb.http_listener_arn
  priority     = 100

  action {
    type = "forward"
    forward {
      target_group {
        arn    = module.alb.default_target_group_arn
        weight = 100
      }
      target_group {
        arn    = aws_lb_target_group.alternate.arn
        weight = 0
      }
    }
  }

  condition {
    path_pattern {
      values = ["/*"]
    }
  }
}

resource "aws_lb_listener_rule" "blue_green_test" {
  listener_arn = module.alb.http_listener_arn
  priority     = 200

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.alternate.arn
  }

  condition {
    path_pattern {
      values = ["/test/*"]
    }
  }
}

resource "aws_iam_role" "ecs_blue_green" {
  name_prefix = "ecs-bg-"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

module "ecs_alb_service_task" {
  source                             = "cloudposse/ecs-alb-service-task/aws"
  alb_security_group                 = module.alb.security_group_id
  use_alb_security_group             = true
  container_definition_json          = module.container_definition.json_map_encoded_list
  ecs_cluster_arn                    = aws_ecs_cluster.default.id
  launch_type                        = "FARGATE"
  vpc_id                             = module.vpc.vpc_id
  security_group_ids                 = [module.vpc.vpc_default_security_group_id]
  subnet_ids                         = module.subnets.public_subnet_ids
  ignore_changes_task_definition     = true
  network_mode                       = "awsvpc"
  assign_public_ip                   = true
  propagate_tags                     = "TASK_DEFINITION"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  deployment_controller_type         = "ECS"
  desired_count                      = 1
  task_memory                        = 512
  task_cpu                           = 256
  task_policy_arns                   = [module.test_policy.policy_arn]

  ecs_load_balancers = [
    {
      container_name   = "nginx"
      container_port   = 80
      elb_name         = null
      target_group_arn = module.alb.default_target_group_arn
      advanced_configuration = {
        alternate_target_group_arn = aws_lb_target_group.alternate.arn
        production_listener_rule   = aws_lb_listener_rule.blue_green.arn
        test_listener_rule         = aws_lb_listener_rule.blue_green_test.arn
        role_arn                   = aws_iam_role.ecs_blue_green.arn
      }
    }
  ]

  deployment_configuration = {
    strategy             = "BLUE_GREEN"
    bake_time_in_minutes = 3
  }

  context = module.this.context
}
