# A private hosted zone of two VPCs outside us-east-1 (the test sets the
# provider's region to eu-west-1). The provider signs Route 53 for
# us-east-1 whatever its region, and names the VPCs' region in VPCRegion.

data "aws_region" "here" {}

resource "aws_vpc" "app" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "app" }
}

resource "aws_vpc" "tools" {
  cidr_block           = "10.41.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "tools" }
}

resource "aws_route53_zone" "internal" {
  name    = "svc.internal"
  comment = "private names of the app"

  vpc {
    vpc_id = aws_vpc.app.id
  }

  # The second VPC comes through aws_route53_zone_association.
  lifecycle {
    ignore_changes = [vpc]
  }
}

resource "aws_route53_zone_association" "tools" {
  zone_id    = aws_route53_zone.internal.zone_id
  vpc_id     = aws_vpc.tools.id
  vpc_region = data.aws_region.here.name
}

resource "aws_route53_record" "api" {
  zone_id = aws_route53_zone.internal.zone_id
  name    = "api.svc.internal"
  type    = "A"
  ttl     = 60
  records = ["10.40.1.25"]
}

resource "aws_route53_record" "db" {
  zone_id = aws_route53_zone.internal.zone_id
  name    = "db"
  type    = "CNAME"
  ttl     = 300
  records = ["api.svc.internal"]
}

output "zone_id" {
  value = aws_route53_zone.internal.zone_id
}
