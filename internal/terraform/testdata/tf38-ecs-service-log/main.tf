# Written for round thirty-eight after terraform-aws-modules/terraform-aws-ecs
# examples/ec2-autoscaling (Apache-2.0): a container's log_configuration
# giving only the log driver, beside the module's CloudWatch logging.

provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_ecs_cluster" "main" {
  name = "logs"
}

module "ecs_service" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.12"

  name        = "logs"
  cluster_arn = aws_ecs_cluster.main.arn
  desired_count = 0

  container_definitions = {
    app = {
      image = "public.ecr.aws/ecs-sample-image/amazon-ecs-sample:latest"
      port_mappings = [{ name = "app", containerPort = 80, protocol = "tcp" }]

      enable_cloudwatch_logging   = true
      create_cloudwatch_log_group = true
      cloudwatch_log_group_name   = "/aws/ecs/logs/app"

      log_configuration = {
        logDriver = "awslogs"
      }
    }
    sidecar = {
      image                     = "public.ecr.aws/docker/library/busybox:latest"
      enable_cloudwatch_logging = false
      log_configuration = {
        logDriver = "awslogs"
      }
    }
  }

  subnet_ids = [aws_subnet.a.id]
}
