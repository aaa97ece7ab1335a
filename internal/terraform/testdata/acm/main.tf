# An HTTPS listener on a certificate validated by DNS, the provider
# documentation's pattern: the validation records' for_each is over the
# certificate's domain_validation_options, known at plan time.
provider "aws" {
  region = "us-east-1"
}

data "aws_route53_zone" "zone" {
  name = "example.com"
}

resource "aws_vpc" "main" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.1.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_acm_certificate" "site" {
  domain_name               = "shop.example.com"
  subject_alternative_names = ["www.shop.example.com"]
  validation_method         = "DNS"
}

resource "aws_route53_record" "validation" {
  for_each = {
    for dvo in aws_acm_certificate.site.domain_validation_options : dvo.domain_name => {
      name   = dvo.resource_record_name
      record = dvo.resource_record_value
      type   = dvo.resource_record_type
    }
  }
  zone_id = data.aws_route53_zone.zone.zone_id
  name    = each.value.name
  type    = each.value.type
  records = [each.value.record]
  ttl     = 60
}

resource "aws_acm_certificate_validation" "site" {
  certificate_arn         = aws_acm_certificate.site.arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}

resource "aws_lb" "shop" {
  name    = "shop"
  subnets = [aws_subnet.a.id, aws_subnet.b.id]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.shop.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate_validation.site.certificate_arn
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "200"
    }
  }
}

output "validation_names" {
  value = sort(keys(aws_route53_record.validation))
}

# A certificate in another region (ecsnet models one): not created, but
# its ARN and validation options are known, so its records evaluate too.
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

resource "aws_acm_certificate" "west" {
  provider          = aws.west
  domain_name       = "west.example.com"
  validation_method = "DNS"
}

resource "aws_route53_record" "west_validation" {
  for_each = {
    for dvo in aws_acm_certificate.west.domain_validation_options : dvo.domain_name => dvo
  }
  zone_id = data.aws_route53_zone.zone.zone_id
  name    = each.value.resource_record_name
  type    = each.value.resource_record_type
  records = [each.value.resource_record_value]
  ttl     = 60
}

output "west_validation" {
  value = [for k, r in aws_route53_record.west_validation : k]
}

output "west_arn" {
  value = aws_acm_certificate.west.arn
}
