# Outputs that name what a local module does not (yet) export, from a
# module with a subnet outside its VPC's range (EC2 refuses it).
provider "aws" {
  region = "eu-north-1"
}

module "net" {
  source = "./net"
  cidr   = "10.60.0.0/16"
}

output "vpc" {
  value = module.net.vpc_id
}

output "lb_dns" {
  value = module.net.lb_dns_name
}
