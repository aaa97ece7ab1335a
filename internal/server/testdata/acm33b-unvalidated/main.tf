# A listener on a certificate nothing validates: ACM keeps it
# PENDING_VALIDATION and ELB refuses the listener (UnsupportedCertificate),
# the first apply's failure of a configuration without
# aws_acm_certificate_validation.
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "hall" {
  cidr_block = "10.62.0.0/16"
}

resource "aws_subnet" "hall" {
  for_each          = { a = "10.62.1.0/24", c = "10.62.3.0/24" }
  vpc_id            = aws_vpc.hall.id
  cidr_block        = each.value
  availability_zone = "us-east-1${each.key}"
}

resource "aws_acm_certificate" "desk" {
  domain_name       = "desk.example.org"
  validation_method = "DNS"
}

resource "aws_lb" "desk" {
  name     = "desk"
  internal = true
  subnets  = [for s in aws_subnet.hall : s.id]
}

resource "aws_lb_listener" "desk" {
  load_balancer_arn = aws_lb.desk.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.desk.arn
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "503"
    }
  }
}
