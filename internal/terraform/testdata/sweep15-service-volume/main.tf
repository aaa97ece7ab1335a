# Round 15: the ECS module's service submodule with a volume and a
# container that mounts it (virtuecloud/ECS-EC2-ClusterASG's service):
# the volume and the mount point reach the task definition; they were
# ignored by ecsnet's stand-in.
provider "aws" {
  region = "eu-west-1"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name            = "vol"
  cidr            = "10.4.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b"]
  private_subnets = ["10.4.1.0/24", "10.4.2.0/24"]
  public_subnets  = ["10.4.101.0/24", "10.4.102.0/24"]

  enable_nat_gateway = true
  single_nat_gateway = true
}

module "cluster" {
  source  = "terraform-aws-modules/ecs/aws//modules/cluster"
  version = "~> 5.0"

  cluster_name = "vol"
}

module "web" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.0"

  name        = "web"
  cluster_arn = module.cluster.arn
  subnet_ids  = module.vpc.private_subnets

  volume = {
    my-vol = {}
  }

  container_definitions = {
    app = {
      image = "public.ecr.aws/nginx/nginx:latest"
      mount_points = [
        {
          sourceVolume  = "my-vol"
          containerPath = "/var/www/my-vol"
        }
      ]
    }
  }
}
