# Written for ecsnet (round thirty-six) after the shape of
# terraform-aws-modules/terraform-aws-alb examples/complete-nlb (v5 era),
# as a user copies it into a project: the alb module from the registry at
# ~> 5.0 (not installed: read with ecsnet's stand-in), an Elastic IP per
# default subnet given to the NLB through subnet_mapping, and a TLS
# listener on the acm module's v2 output this_acm_certificate_arn; an ip
# target group keeping the client's address, with a short deregistration
# and cross-zone load balancing off.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 4.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "all" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

data "aws_route53_zone" "this" {
  name = "example.com"
}

module "acm" {
  source  = "terraform-aws-modules/acm/aws"
  version = "~> 2.0"

  domain_name = "nlb.example.com"
  zone_id     = data.aws_route53_zone.this.id
}

resource "aws_eip" "this" {
  count = 2
  vpc   = true
}

module "nlb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 5.0"

  name               = "eips-nlb"
  load_balancer_type = "network"
  vpc_id             = data.aws_vpc.default.id

  subnet_mapping = [for i, eip in aws_eip.this : { allocation_id : eip.id, subnet_id : sort(data.aws_subnets.all.ids)[i] }]

  http_tcp_listeners = [
    { port = 83, protocol = "TCP", target_group_index = 0 },
  ]
  https_listeners = [
    { port = 84, protocol = "TLS", certificate_arn = module.acm.this_acm_certificate_arn, target_group_index = 1 },
  ]
  target_groups = [
    { name_prefix = "t1-", backend_protocol = "TCP", backend_port = 83, target_type = "ip", preserve_client_ip = true, deregistration_delay = 10, load_balancing_cross_zone_enabled = false },
    { name_prefix = "t2-", backend_protocol = "TLS", backend_port = 84, target_type = "instance" },
  ]
}

output "eips" {
  value = join(",", sort(aws_eip.this[*].id))
}
