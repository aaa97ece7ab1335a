# Round ten: a dual-stack network from the VPC module's enable_ipv6 (not
# installed: ecsnet's stand-in), read back through data "aws_subnet"'s
# IPv6 attributes into a dual-stack ALB's group rules, and a nested key
# of the ALB module's target_groups that the stand-in does not read.
provider "aws" {
  region = "us-west-2"
}

module "vpc" {
  source = "terraform-aws-modules/vpc/aws"

  name            = "dual"
  cidr            = "10.0.0.0/16"
  azs             = ["us-west-2a", "us-west-2b"]
  private_subnets = ["10.0.0.0/24", "10.0.1.0/24"]
  public_subnets  = ["10.0.4.0/24", "10.0.5.0/24"]

  enable_nat_gateway = true
  single_nat_gateway = true

  enable_ipv6                                    = true
  public_subnet_assign_ipv6_address_on_creation  = true
  private_subnet_assign_ipv6_address_on_creation = true
  public_subnet_ipv6_prefixes                    = [0, 1]
  private_subnet_ipv6_prefixes                   = [3, 4]
}

# Keyed by zone, known at plan: toset(module.vpc.private_subnets), ids
# known only after apply, is refused by terraform plan ("Invalid for_each
# argument").
data "aws_subnet" "private" {
  for_each = { for i, az in ["us-west-2a", "us-west-2b"] : az => module.vpc.private_subnets[i] }
  id       = each.value
}

module "alb" {
  source = "terraform-aws-modules/alb/aws"

  name            = "dual"
  vpc_id          = module.vpc.vpc_id
  subnets         = module.vpc.public_subnets
  ip_address_type = "dualstack"

  security_group_ingress_rules = {
    http_v6 = {
      from_port   = 80
      to_port     = 80
      ip_protocol = "tcp"
      cidr_ipv6   = "::/0"
    }
  }
  security_group_egress_rules = { for az, s in data.aws_subnet.private : "${az}-ipv6" => {
    ip_protocol = "-1"
    cidr_ipv6   = s.ipv6_cidr_block
  } }

  target_groups = {
    app = {
      backend_protocol = "HTTP"
      backend_port     = 3000
      target_type      = "ip"
      protocol_version = "HTTP2"
      # Read by the stand-in since round thirty-seven; this one is not.
      lambda_multi_value_headers_enabled = false
    }
  }
}

output "vpc_ipv6" { value = module.vpc.vpc_ipv6_cidr_block }
output "private_ipv6" { value = join(",", module.vpc.private_subnets_ipv6_cidr_blocks) }
output "eigw" { value = module.vpc.egress_only_internet_gateway_id }
