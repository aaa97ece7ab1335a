# cloudposse/ecs-container-definition/aws renders a container definition
# and terraform-aws-modules/iam//modules/iam-assumable-role makes the
# execution role, neither installed: ecsnet's stand-ins. The VPC module's
# NAT gateways take the caller's Elastic IPs (reuse_nat_ips).
resource "aws_eip" "nat" {
  count  = 2
  domain = "vpc"
}
module "vpc" {
  source              = "terraform-aws-modules/vpc/aws"
  version             = "~> 5.0"
  name                = "app"
  cidr                = "10.0.0.0/16"
  azs                 = ["us-east-1a", "us-east-1b"]
  public_subnets      = ["10.0.0.0/24", "10.0.1.0/24"]
  private_subnets     = ["10.0.10.0/24", "10.0.11.0/24"]
  enable_nat_gateway  = true
  reuse_nat_ips       = true
  external_nat_ip_ids = aws_eip.nat[*].id
}
module "exec_role" {
  source                = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version               = "~> 4.0"
  create_role           = true
  role_name             = "app-exec"
  role_requires_mfa     = false
  trusted_role_services = ["ecs-tasks.amazonaws.com"]
}
module "container" {
  source                       = "cloudposse/ecs-container-definition/aws"
  version                      = "~> 0.58"
  container_name               = "app"
  container_image              = "nginx:1.27"
  container_memory_reservation = 256
  port_mappings                = [{ containerPort = 8080, hostPort = 8080, protocol = "tcp" }]
  map_environment              = { B = "2", A = "1" }
  log_configuration = {
    logDriver = "awslogs"
    options   = { "awslogs-group" = "/ecs/app", "awslogs-region" = "us-east-1" }
  }
}
resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = module.exec_role.iam_role_arn
  container_definitions    = module.container.json_map_encoded_list
}
output "role" { value = module.exec_role.iam_role_arn }
output "env" { value = jsonencode(module.container.json_map_object.environment) }
output "nat_eips" { value = length(aws_eip.nat) }
