# A tag value written without quotes, and an alias to a load balancer the
# configuration does not declare.
provider "aws" {
  region = "ap-south-1"
}

resource "aws_ecs_cluster" "cluster" {
  name = "ecs-devl-cluster"
  tags = {
    name = ecs-cluster-name
  }
}

resource "aws_route53_zone" "zone" {
  name = "devl.example.com."
}

resource "aws_route53_record" "dns" {
  zone_id = aws_route53_zone.zone.zone_id
  name    = "openapi-editor-devl"
  type    = "A"
  alias {
    evaluate_target_health = false
    name                   = aws_lb.loadbalancer.dns_name
    zone_id                = aws_lb.loadbalancer.zone_id
  }
}
