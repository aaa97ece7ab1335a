provider "aws" {
  region = "eu-central-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "out" {
  route_table_id         = aws_vpc.main.main_route_table_id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.main.id
}

resource "aws_subnet" "public" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
  availability_zone = ["eu-central-1a", "eu-central-1b"][count.index]
}

resource "aws_lb" "web" {
  name       = "web"
  subnets    = aws_subnet.public[*].id
  depends_on = [aws_internet_gateway.main]
}

resource "aws_lb_target_group" "web" {
  name     = "web"
  port     = 80
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id
}

# Requested with DNS validation, validated by nothing.
resource "aws_acm_certificate" "plain" {
  domain_name       = "*.example.org"
  validation_method = "DNS"
}

resource "aws_lb_listener" "plain" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.plain.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

# Validated, but the first listener names the certificate itself.
resource "aws_acm_certificate" "validated" {
  domain_name       = "app.example.org"
  validation_method = "DNS"
}

resource "aws_route53_zone" "org" {
  name = "example.org"
}

resource "aws_route53_record" "validation" {
  for_each = { for o in aws_acm_certificate.validated.domain_validation_options : o.domain_name => o }
  zone_id  = aws_route53_zone.org.zone_id
  name     = each.value.resource_record_name
  type     = each.value.resource_record_type
  records  = [each.value.resource_record_value]
  ttl      = 60
}

resource "aws_acm_certificate_validation" "validated" {
  certificate_arn         = aws_acm_certificate.validated.arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}

resource "aws_lb_listener" "racing" {
  load_balancer_arn = aws_lb.web.arn
  port              = 8443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.validated.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

# Waits for the issue: no warning.
resource "aws_lb_listener" "waiting" {
  load_balancer_arn = aws_lb.web.arn
  port              = 9443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate_validation.validated.certificate_arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
