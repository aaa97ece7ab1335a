# The ECS service-linked role made by the configuration, beside a cluster.
provider "aws" {
  region = "ap-south-1"
}

resource "aws_iam_service_linked_role" "ecs" {
  aws_service_name = "ecs.amazonaws.com"
}

resource "aws_iam_service_linked_role" "suffixed" {
  aws_service_name = "ecs.amazonaws.com"
  custom_suffix    = "mine"
}

resource "aws_ecs_cluster" "main" {
  name = "assignment"
}
