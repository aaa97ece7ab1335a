# Round thirty-five, written for ecsnet after the Terraform AWS provider's
# documentation of aws_codedeploy_deployment_config (its three examples: a
# Server configuration of minimum healthy hosts, a Lambda and an ECS
# traffic routing configuration) and of aws_codedeploy_deployment_group:
# the account's deployment configurations of the three platforms, and a
# Server application's group that uses the custom one. Applies, plans
# empty, destroys.
provider "aws" { region = "us-east-1" }

resource "aws_codedeploy_deployment_config" "server" {
  deployment_config_name = "shop-server-two-hosts"

  minimum_healthy_hosts {
    type  = "HOST_COUNT"
    value = 2
  }
}

resource "aws_codedeploy_deployment_config" "lambda" {
  deployment_config_name = "shop-lambda-linear"
  compute_platform       = "Lambda"

  traffic_routing_config {
    type = "TimeBasedLinear"

    time_based_linear {
      interval   = 10
      percentage = 10
    }
  }
}

resource "aws_codedeploy_deployment_config" "ecs" {
  deployment_config_name = "shop-ecs-canary"
  compute_platform       = "ECS"

  traffic_routing_config {
    type = "TimeBasedCanary"

    time_based_canary {
      interval   = 5
      percentage = 25
    }
  }
}

resource "aws_iam_role" "codedeploy" {
  name = "shop-codedeploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "codedeploy.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_codedeploy_app" "shop" {
  name             = "shop-server"
  compute_platform = "Server"
}

resource "aws_codedeploy_deployment_group" "shop" {
  app_name               = aws_codedeploy_app.shop.name
  deployment_group_name  = "shop-fleet"
  service_role_arn       = aws_iam_role.codedeploy.arn
  deployment_config_name = aws_codedeploy_deployment_config.server.id

  ec2_tag_filter {
    key   = "app"
    type  = "KEY_AND_VALUE"
    value = "shop"
  }
}

output "server_config_id" { value = aws_codedeploy_deployment_config.server.deployment_config_id }
output "ecs_config_arn" { value = aws_codedeploy_deployment_config.ecs.arn }
