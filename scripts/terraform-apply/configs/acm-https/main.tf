# An HTTPS listener on an ACM certificate validated by DNS: the
# certificate is PENDING_VALIDATION until the records of its
# domain_validation_options are in the public zone; the validation resource
# waits for ACM to issue it, and the listener names the validation's
# certificate_arn, so ELB sees an issued certificate. (The next plan notes
# that aws_acm_certificate's status has changed to ISSUED, as on AWS: a
# refresh, not a change.)
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "edge" {
  cidr_block = "10.61.0.0/16"
}

resource "aws_internet_gateway" "edge" {
  vpc_id = aws_vpc.edge.id
}

resource "aws_subnet" "edge" {
  for_each          = { a = "10.61.1.0/24", b = "10.61.2.0/24" }
  vpc_id            = aws_vpc.edge.id
  cidr_block        = each.value
  availability_zone = "us-east-1${each.key}"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.edge.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.edge.id
  }
}

resource "aws_route_table_association" "public" {
  for_each       = aws_subnet.edge
  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route53_zone" "shop" {
  name = "shop.example.org"
}

resource "aws_acm_certificate" "shop" {
  domain_name               = "shop.example.org"
  subject_alternative_names = ["*.shop.example.org", "pay.shop.example.org"]
  validation_method         = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "shop_validation" {
  for_each = {
    for o in aws_acm_certificate.shop.domain_validation_options : o.domain_name => {
      name  = o.resource_record_name
      type  = o.resource_record_type
      value = o.resource_record_value
    }
  }
  allow_overwrite = true
  zone_id         = aws_route53_zone.shop.zone_id
  name            = each.value.name
  type            = each.value.type
  records         = [each.value.value]
  ttl             = 60
}

resource "aws_acm_certificate_validation" "shop" {
  certificate_arn         = aws_acm_certificate.shop.arn
  validation_record_fqdns = [for r in aws_route53_record.shop_validation : r.fqdn]
}

resource "aws_security_group" "lb" {
  name   = "shop-lb"
  vpc_id = aws_vpc.edge.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "shop" {
  name               = "shop"
  load_balancer_type = "application"
  security_groups    = [aws_security_group.lb.id]
  subnets            = [for s in aws_subnet.edge : s.id]
  depends_on         = [aws_internet_gateway.edge]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.shop.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.shop.certificate_arn
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "shop"
      status_code  = "200"
    }
  }
}
