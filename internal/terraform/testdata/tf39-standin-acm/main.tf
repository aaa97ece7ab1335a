# Written for round thirty-nine: the plan view inside a stand-in. Two calls
# of terraform-aws-modules/acm/aws: one whose names are the configuration's
# own (the zone's configured name), planned; one with a subject
# alternative name known only after apply (a load balancer's DNS name),
# refused by terraform plan inside the module ("Invalid count argument" at
# aws_route53_record.validation's count, length(local.distinct_domain_names)).
# Observed with terraform 1.11.4 and hashicorp/aws 5.100.0 against ecsnet
# serve, the module's main.tf as of the public repository's commit
# 00db4c91 in a local directory (registry modules are not reachable here).
provider "aws" {
  region = "us-east-1"
}

resource "aws_route53_zone" "this" {
  name = "example.com"
}

resource "aws_lb" "web" {
  name               = "web"
  internal           = true
  load_balancer_type = "network"
  subnets            = [aws_subnet.a.id]
}
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

# Accepted: the names are the configuration's own (the zone's name is
# configured).
module "acm_known" {
  source                    = "terraform-aws-modules/acm/aws"
  version                   = "~> 5.0"
  domain_name               = aws_route53_zone.this.name
  subject_alternative_names = ["*.${aws_route53_zone.this.name}"]
  zone_id                   = aws_route53_zone.this.zone_id
  validation_method         = "DNS"
}

# Refused: a name known only after apply (the load balancer's DNS name).
module "acm_unknown" {
  source                    = "terraform-aws-modules/acm/aws"
  version                   = "~> 5.0"
  domain_name               = "app.example.com"
  subject_alternative_names = [aws_lb.web.dns_name]
  zone_id                   = aws_route53_zone.this.zone_id
  validation_method         = "DNS"
}
