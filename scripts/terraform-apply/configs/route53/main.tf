# Route 53 on ecsnet serve: a public zone with simple, weighted and alias
# records (the alias to an internet-facing ALB, by its canonical hosted
# zone id), an ACM certificate validated through its DNS record, and a
# private zone with a second VPC associated.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "us-east-1"
  default_tags { tags = { Project = "tfapply-route53" } }
}

data "aws_availability_zones" "available" { state = "available" }

resource "aws_vpc" "main" {
  cidr_block           = "10.30.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_vpc" "other" {
  cidr_block           = "10.31.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "main" { vpc_id = aws_vpc.main.id }

resource "aws_subnet" "public" {
  count                   = 2
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone       = data.aws_availability_zones.available.names[count.index]
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "alb" {
  name   = "alb"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
  subnets            = aws_subnet.public[*].id
  security_groups    = [aws_security_group.alb.id]
  depends_on         = [aws_route_table_association.public]
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "200"
    }
  }
}

resource "aws_route53_zone" "public" {
  name    = "shop.example.com"
  comment = "public zone"
}

resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.public.zone_id
  name    = "www.shop.example.com"
  type    = "A"
  ttl     = 300
  records = ["203.0.113.10", "203.0.113.11"]
}

resource "aws_route53_record" "docs" {
  zone_id = aws_route53_zone.public.zone_id
  name    = "docs"
  type    = "CNAME"
  ttl     = 60
  records = ["www.shop.example.com"]
}

resource "aws_route53_record" "app" {
  zone_id = aws_route53_zone.public.zone_id
  name    = "app.shop.example.com"
  type    = "A"
  alias {
    name                   = aws_lb.web.dns_name
    zone_id                = aws_lb.web.zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "canary" {
  for_each       = { blue = 90, green = 10 }
  zone_id        = aws_route53_zone.public.zone_id
  name           = "canary.shop.example.com"
  type           = "A"
  ttl            = 60
  set_identifier = each.key
  records        = [each.key == "blue" ? "203.0.113.20" : "203.0.113.21"]
  weighted_routing_policy {
    weight = each.value
  }
}

resource "aws_acm_certificate" "app" {
  domain_name       = "app.shop.example.com"
  validation_method = "DNS"
  lifecycle { create_before_destroy = true }
}

resource "aws_route53_record" "validation" {
  for_each = {
    for o in aws_acm_certificate.app.domain_validation_options : o.domain_name => {
      name   = o.resource_record_name
      record = o.resource_record_value
      type   = o.resource_record_type
    }
  }
  allow_overwrite = true
  zone_id         = aws_route53_zone.public.zone_id
  name            = each.value.name
  type            = each.value.type
  ttl             = 60
  records         = [each.value.record]
}

resource "aws_acm_certificate_validation" "app" {
  certificate_arn         = aws_acm_certificate.app.arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}

resource "aws_route53_zone" "private" {
  name = "corp.internal"
  vpc {
    vpc_id = aws_vpc.main.id
  }
  # The second VPC comes from aws_route53_zone_association.
  lifecycle { ignore_changes = [vpc] }
}

resource "aws_route53_zone_association" "other" {
  zone_id = aws_route53_zone.private.zone_id
  vpc_id  = aws_vpc.other.id
}

resource "aws_route53_record" "db" {
  zone_id = aws_route53_zone.private.zone_id
  name    = "db.corp.internal"
  type    = "A"
  ttl     = 30
  records = ["10.30.0.50"]
}

output "name_servers" { value = aws_route53_zone.public.name_servers }
