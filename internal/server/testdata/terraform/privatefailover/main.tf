# Failover records of a private hosted zone of a eu-west-1 VPC (the test
# sets the provider's region to eu-west-1), the primary naming a health
# check. The provider signs Route 53 for us-east-1 whatever its region:
# the health check is the account's, and the zone's records in
# eu-west-1 name it.

data "aws_region" "here" {}

resource "aws_vpc" "app" {
  cidr_block           = "10.42.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "app" }
}

resource "aws_route53_zone" "internal" {
  name = "failover.internal"

  vpc {
    vpc_id     = aws_vpc.app.id
    vpc_region = data.aws_region.here.name
  }
}

resource "aws_route53_health_check" "primary" {
  ip_address        = "10.42.1.10"
  port              = 80
  type              = "HTTP"
  resource_path     = "/health"
  failure_threshold = 3
  request_interval  = 30
  tags              = { Name = "primary" }
}

resource "aws_route53_record" "primary" {
  zone_id         = aws_route53_zone.internal.zone_id
  name            = "api"
  type            = "A"
  ttl             = 60
  records         = ["10.42.1.10"]
  set_identifier  = "primary"
  health_check_id = aws_route53_health_check.primary.id

  failover_routing_policy {
    type = "PRIMARY"
  }
}

resource "aws_route53_record" "secondary" {
  zone_id        = aws_route53_zone.internal.zone_id
  name           = "api"
  type           = "A"
  ttl            = 60
  records        = ["10.42.2.10"]
  set_identifier = "secondary"

  failover_routing_policy {
    type = "SECONDARY"
  }
}

output "health_check_id" {
  value = aws_route53_health_check.primary.id
}
