# Round thirty-five (written for ecsnet after terraform-aws-modules/
# terraform-aws-vpc's examples/ipv6-only, Apache-2.0): the registry module,
# read through ecsnet's stand-in, asked for IPv6-only public and private
# subnets by their IPv6 prefixes alone (no IPv4 lists), with an egress-only
# gateway, and for dual-stack ones with a NAT gateway in a second VPC. The
# first makes six IPv6-only subnets with DNS64 and AAAA records; the
# second routes 64:ff9b::/96 of its private tables to the NAT gateway.
provider "aws" { region = "eu-west-1" }

module "ipv6_only" {
  source = "terraform-aws-modules/vpc/aws"

  name = "v6only"
  azs  = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]

  enable_ipv6                  = true
  public_subnet_ipv6_native    = true
  public_subnet_ipv6_prefixes  = [0, 1, 2]
  private_subnet_ipv6_native   = true
  private_subnet_ipv6_prefixes = [3, 4, 5]

  enable_nat_gateway     = false
  create_egress_only_igw = true
}

module "dual" {
  source = "terraform-aws-modules/vpc/aws"

  name = "dual"
  cidr = "10.60.0.0/16"
  azs  = ["eu-west-1a", "eu-west-1b"]

  public_subnets               = ["10.60.0.0/24", "10.60.1.0/24"]
  private_subnets              = ["10.60.10.0/24", "10.60.11.0/24"]
  enable_ipv6                  = true
  public_subnet_ipv6_prefixes  = [0, 1]
  private_subnet_ipv6_prefixes = [2, 3]

  enable_nat_gateway = true
  single_nat_gateway = true
}
