# A Fargate task in intra subnets (no NAT gateway) that pulls its image
# from ECR through interface endpoints, after terraform-aws-ecs's
# examples/fargate-private-ecr: the vpc-endpoints submodule (with its own
# security group), kms, s3-bucket and ecr modules, none installed.
provider "aws" {
  region = "eu-west-1"
}

locals {
  name = "privecr"
  azs  = ["eu-west-1a", "eu-west-1b"]
}

module "vpc" {
  source        = "terraform-aws-modules/vpc/aws"
  name          = local.name
  cidr          = "10.0.0.0/16"
  azs           = local.azs
  intra_subnets = [for k, v in local.azs : cidrsubnet("10.0.0.0/16", 4, k)]
}

module "vpc_endpoints" {
  source                     = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
  vpc_id                     = module.vpc.vpc_id
  create_security_group      = true
  security_group_name_prefix = "${local.name}-vpce-"
  security_group_rules = {
    ingress_https = {
      cidr_blocks = module.vpc.intra_subnets_cidr_blocks
    }
  }
  endpoints = merge({
    s3 = {
      service         = "s3"
      service_type    = "Gateway"
      route_table_ids = module.vpc.intra_route_table_ids
    }
    }, {
    for service in toset(["ecr.api", "ecr.dkr", "logs"]) :
    replace(service, ".", "_") => {
      service             = service
      private_dns_enabled = true
      subnet_ids          = module.vpc.intra_subnets
    }
  })
}

module "kms" {
  source      = "terraform-aws-modules/kms/aws"
  description = "logs"
}

module "bucket" {
  source        = "terraform-aws-modules/s3-bucket/aws"
  bucket_prefix = "${local.name}-"
}

module "ecr" {
  source          = "terraform-aws-modules/ecr/aws"
  repository_name = local.name
}

module "cluster" {
  source                          = "terraform-aws-modules/ecs/aws//modules/cluster"
  version                         = "~> 5.0"
  cluster_name                    = local.name
  cloudwatch_log_group_kms_key_id = module.kms.key_arn
}

module "task" {
  source      = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.0"
  name        = local.name
  cluster_arn = module.cluster.arn
  container_definitions = {
    app = {
      image   = "${module.ecr.repository_url}:latest"
      command = ["aws s3 ls ${module.bucket.s3_bucket_id}"]
    }
  }
  subnet_ids = module.vpc.intra_subnets
  security_group_rules = {
    egress_all = {
      type        = "egress"
      from_port   = 0
      to_port     = 0
      protocol    = "-1"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

output "endpoint_ids" { value = join(",", sort([for k, v in module.vpc_endpoints.endpoints : k])) }
output "vpce_group" { value = module.vpc_endpoints.security_group_id }
output "exec_role" { value = module.task.task_exec_iam_role_arn }
output "image" { value = module.task.container_definitions["app"].image }
