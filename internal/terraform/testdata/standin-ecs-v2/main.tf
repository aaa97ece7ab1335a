# The ECS module's v2 interface (name, capacity_providers as a list of
# names, one default_capacity_provider_strategy object, this_ outputs), its
# //modules/ecs-instance-profile, the autoscaling module's v3 interface
# (a launch configuration with text user data, tags as a list) after
# terraform-aws-ecs's examples/complete-ecs; and the v4 interface
# (autoscaling_capacity_providers, a map of Auto Scaling group providers) after its
# examples/ec2. None installed.
provider "aws" {
  region = "eu-west-1"
}
module "vpc" {
  source             = "terraform-aws-modules/vpc/aws"
  name               = "v2"
  cidr               = "10.1.0.0/16"
  azs                = ["eu-west-1a", "eu-west-1b"]
  private_subnets    = ["10.1.1.0/24", "10.1.2.0/24"]
  public_subnets     = ["10.1.11.0/24", "10.1.12.0/24"]
  enable_nat_gateway = true
  single_nat_gateway = true
}
module "profile" {
  source = "terraform-aws-modules/ecs/aws//modules/ecs-instance-profile"
  name   = "v2"
}
resource "aws_ecs_capacity_provider" "prov1" {
  name = "prov1"
  auto_scaling_group_provider {
    auto_scaling_group_arn = module.asg["v2"].this_autoscaling_group_arn
  }
}
module "ecs" {
  source             = "terraform-aws-modules/ecs/aws"
  version            = "~> 2.0"
  name               = "v2"
  container_insights = true
  capacity_providers = ["FARGATE", aws_ecs_capacity_provider.prov1.name]
  default_capacity_provider_strategy = {
    capacity_provider = aws_ecs_capacity_provider.prov1.name
  }
}
module "ecs4" {
  source       = "terraform-aws-modules/ecs/aws"
  version      = "~> 4.0"
  cluster_name = "v4"
  # v4 names its map autoscaling_capacity_providers (capacity_providers is
  # v2-v3's list and v6's map; v4 and v5 do not declare it).
  autoscaling_capacity_providers = {
    one = {
      auto_scaling_group_arn = module.asg["v4"].this_autoscaling_group_arn
      managed_scaling = {
        status          = "ENABLED"
        target_capacity = 60
      }
      default_capacity_provider_strategy = {
        weight = 60
      }
    }
  }
}
module "disabled" {
  source     = "terraform-aws-modules/ecs/aws"
  version = "~> 2.0"
  create_ecs = false
}
data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
}
module "asg" {
  source               = "terraform-aws-modules/autoscaling/aws"
  version              = "~> 3.0"
  for_each             = toset(["v2", "v4"])
  name                 = each.key
  lc_name              = each.key
  asg_name             = each.key
  image_id             = data.aws_ssm_parameter.ami.value
  instance_type        = "t3.small"
  security_groups      = [module.vpc.default_security_group_id]
  iam_instance_profile = module.profile.this_iam_instance_profile_id
  user_data            = "#!/bin/bash\necho ECS_CLUSTER=${each.key} >> /etc/ecs/ecs.config\n"
  vpc_zone_identifier  = module.vpc.private_subnets
  min_size             = 0
  max_size             = 2
  desired_capacity     = 1
  tags = [
    {
      key                 = "Environment"
      value               = "dev"
      propagate_at_launch = true
    },
  ]
}
output "cluster" { value = module.ecs.this_ecs_cluster_name }
output "lc" { value = module.asg["v2"].this_launch_configuration_name }
