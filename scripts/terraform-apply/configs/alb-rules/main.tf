# An internet-facing ALB with many attributes (HTTP/2, drop invalid header
# fields, desync mitigation, XFF handling, TLS headers, WAF fail-open,
# access and connection logs off), an HTTP listener redirecting to HTTPS,
# an HTTPS listener on an imported certificate with an extra certificate,
# and listener rules of every condition kind (path, host, header, method,
# query string, source IP) with fixed responses, redirects and weighted
# forwards to Fargate services' target groups; aws_lb and
# aws_lb_listener data sources read back.
# cert.pem and key.pem beside this file are a throwaway self-signed test
# certificate (openssl req -x509), for ACM ImportCertificate only.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_availability_zones" "azs" {
  state = "available"
  filter {
    name   = "zone-type"
    values = ["availability-zone"]
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_subnet" "public" {
  count                   = 2
  vpc_id                  = aws_vpc.this.id
  cidr_block              = cidrsubnet(aws_vpc.this.cidr_block, 4, count.index)
  availability_zone       = data.aws_availability_zones.azs.names[count.index]
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
}

resource "aws_main_route_table_association" "this" {
  vpc_id         = aws_vpc.this.id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "alb" {
  name_prefix = "alb-rules-"
  vpc_id      = aws_vpc.this.id
  dynamic "ingress" {
    for_each = [80, 443]
    content {
      from_port        = ingress.value
      to_port          = ingress.value
      protocol         = "tcp"
      cidr_blocks      = ["0.0.0.0/0"]
      ipv6_cidr_blocks = ["::/0"]
    }
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [aws_vpc.this.cidr_block]
  }
}

resource "aws_security_group" "svc" {
  name_prefix = "alb-rules-svc-"
  vpc_id      = aws_vpc.this.id
  ingress {
    from_port       = 80
    to_port         = 80
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_acm_certificate" "main" {
  private_key      = file("${path.module}/key.pem")
  certificate_body = file("${path.module}/cert.pem")
}

resource "aws_acm_certificate" "extra" {
  private_key      = file("${path.module}/key.pem")
  certificate_body = file("${path.module}/cert.pem")
  tags             = { Use = "sni" }
}

resource "aws_lb" "this" {
  name                                        = "alb-rules"
  load_balancer_type                          = "application"
  subnets                                     = aws_subnet.public[*].id
  security_groups                             = [aws_security_group.alb.id]
  idle_timeout                                = 120
  enable_http2                                = true
  drop_invalid_header_fields                  = true
  desync_mitigation_mode                      = "strictest"
  preserve_host_header                        = true
  enable_xff_client_port                      = true
  xff_header_processing_mode                  = "preserve"
  enable_tls_version_and_cipher_suite_headers = true
  enable_waf_fail_open                        = false
  client_keep_alive                           = 1800
  enable_zonal_shift                          = false
  access_logs {
    bucket  = ""
    enabled = false
  }
  connection_logs {
    bucket  = ""
    enabled = false
  }
}

resource "aws_lb_target_group" "blue" {
  name                          = "alb-rules-blue"
  port                          = 80
  protocol                      = "HTTP"
  protocol_version              = "HTTP1"
  target_type                   = "ip"
  vpc_id                        = aws_vpc.this.id
  load_balancing_algorithm_type = "least_outstanding_requests"
  slow_start                    = 30
  deregistration_delay          = 15
  stickiness {
    type            = "lb_cookie"
    cookie_duration = 3600
    enabled         = true
  }
  health_check {
    path     = "/healthz"
    matcher  = "200"
    interval = 10
    timeout  = 5
  }
}

resource "aws_lb_target_group" "green" {
  name                              = "alb-rules-green"
  port                              = 80
  protocol                          = "HTTP"
  target_type                       = "ip"
  vpc_id                            = aws_vpc.this.id
  load_balancing_cross_zone_enabled = "true"
  stickiness {
    type            = "app_cookie"
    cookie_name     = "SESSION"
    cookie_duration = 600
    enabled         = true
  }
  health_check {
    path    = "/"
    matcher = "200-299"
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.main.arn
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "not found"
      status_code  = "404"
    }
  }
}

resource "aws_lb_listener_certificate" "extra" {
  listener_arn    = aws_lb_listener.https.arn
  certificate_arn = aws_acm_certificate.extra.arn
}

resource "aws_lb_listener_rule" "api_weighted" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 10
  action {
    type = "forward"
    forward {
      target_group {
        arn    = aws_lb_target_group.blue.arn
        weight = 90
      }
      target_group {
        arn    = aws_lb_target_group.green.arn
        weight = 10
      }
      stickiness {
        enabled  = true
        duration = 300
      }
    }
  }
  condition {
    path_pattern { values = ["/api/*", "/v1/*"] }
  }
  condition {
    http_request_method { values = ["GET", "POST"] }
  }
}

resource "aws_lb_listener_rule" "host" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 20
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.green.arn
  }
  condition {
    host_header { values = ["green.example.com", "*.green.example.com"] }
  }
}

resource "aws_lb_listener_rule" "canary_header" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 30
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.green.arn
  }
  condition {
    http_header {
      http_header_name = "X-Canary"
      values           = ["true", "1"]
    }
  }
}

resource "aws_lb_listener_rule" "query" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 40
  action {
    type = "fixed-response"
    fixed_response {
      content_type = "application/json"
      message_body = "{\"debug\":true}"
      status_code  = "200"
    }
  }
  condition {
    query_string {
      key   = "debug"
      value = "true"
    }
  }
  condition {
    query_string {
      value = "verbose"
    }
  }
}

resource "aws_lb_listener_rule" "office" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 50
  action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/html"
      status_code  = "503"
    }
  }
  condition {
    source_ip { values = ["192.0.2.0/24", "2001:db8::/32"] }
  }
}

resource "aws_lb_listener_rule" "old_docs" {
  listener_arn = aws_lb_listener.https.arn
  action {
    type = "redirect"
    redirect {
      host        = "docs.example.com"
      path        = "/#{path}"
      query       = "from=#{host}"
      status_code = "HTTP_302"
    }
  }
  condition {
    path_pattern { values = ["/docs/*"] }
  }
  tags = { Name = "old-docs" }
}

resource "aws_iam_role" "execution" {
  name_prefix = "alb-rules-"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_cluster" "this" {
  name = "alb-rules"
}

resource "aws_ecs_task_definition" "app" {
  for_each                 = toset(["blue", "green"])
  family                   = "alb-rules-${each.key}"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name         = "app"
    image        = "public.ecr.aws/nginx/nginx:latest"
    essential    = true
    portMappings = [{ containerPort = 80, protocol = "tcp" }]
    healthCheck = {
      command     = ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 10
    }
  }])
}

resource "aws_ecs_service" "app" {
  for_each        = { blue = aws_lb_target_group.blue.arn, green = aws_lb_target_group.green.arn }
  name            = each.key
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.app[each.key].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = aws_subnet.public[*].id
    security_groups  = [aws_security_group.svc.id]
    assign_public_ip = true
  }
  load_balancer {
    target_group_arn = each.value
    container_name   = "app"
    container_port   = 80
  }
  depends_on = [aws_lb_listener_rule.api_weighted, aws_lb_listener_rule.host]
}

data "aws_lb" "this" {
  arn = aws_lb.this.arn
}

data "aws_lb_listener" "https" {
  load_balancer_arn = data.aws_lb.this.arn
  port              = 443
  depends_on        = [aws_lb_listener.https]
}

data "aws_lb_target_group" "blue" {
  name       = aws_lb_target_group.blue.name
  depends_on = [aws_lb_target_group.blue]
}

output "zone" { value = data.aws_lb.this.zone_id }
output "https_policy" { value = data.aws_lb_listener.https.ssl_policy }
output "blue_algo" { value = data.aws_lb_target_group.blue.load_balancing_algorithm_type }
