# Round thirty-five (written for ecsnet after terraform-aws-modules/
# terraform-aws-vpc#930): enable_ipv6 with IPv4 subnets given no IPv6
# prefixes. The module's DNS64 and AAAA defaults (true) reach subnets
# without an IPv6 block, and EC2 refuses DNS64 there.
provider "aws" { region = "eu-central-1" }

module "vpc" {
  source = "terraform-aws-modules/vpc/aws"

  name            = "private-vpc"
  cidr            = "10.0.0.0/16"
  azs             = ["eu-central-1a", "eu-central-1b"]
  private_subnets = ["10.0.1.0/24", "10.0.2.0/24"]
  public_subnets  = ["10.0.101.0/24", "10.0.102.0/24"]

  enable_ipv6          = true
  enable_dns_hostnames = true
  enable_dns_support   = true

  enable_nat_gateway = true
  single_nat_gateway = true
}
