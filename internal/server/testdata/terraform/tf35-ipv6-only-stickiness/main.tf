# Round thirty-five (docs/terraform-acceptance.md, "Round thirty-five"),
# written for ecsnet after the public configurations of that round
# (terraform-aws-modules/terraform-aws-vpc examples/ipv6-only flattened;
# GreatNotes-Levelup/GreatNotesMain and affinitywaterltd/terraform-aws-ecs
# target groups): IPv6-only subnets with DNS64 and AAAA records beside a
# dual-stack one, an egress-only gateway's ::/0; target groups with
# stickiness, slow start and the routing algorithm; an ALB's weighted
# forward with group stickiness; an NLB group with source_ip stickiness.
# Applies, plans empty, destroys.
provider "aws" { region = "us-east-1" }

resource "aws_vpc" "main" {
  cidr_block                       = "10.50.0.0/16"
  assign_generated_ipv6_cidr_block = true
  enable_dns_hostnames             = true
}

resource "aws_subnet" "v6only" {
  count                                          = 2
  vpc_id                                         = aws_vpc.main.id
  availability_zone                              = ["us-east-1a", "us-east-1b"][count.index]
  ipv6_native                                    = true
  ipv6_cidr_block                                = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, count.index)
  assign_ipv6_address_on_creation                = true
  enable_dns64                                   = true
  enable_resource_name_dns_aaaa_record_on_launch = true
}

resource "aws_subnet" "public" {
  count                           = 2
  vpc_id                          = aws_vpc.main.id
  availability_zone               = ["us-east-1a", "us-east-1b"][count.index]
  cidr_block                      = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 10 + count.index)
  assign_ipv6_address_on_creation = true
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "v6only" {
  vpc_id = aws_vpc.main.id
  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.eigw.id
  }
}

resource "aws_route_table_association" "v6only" {
  count          = 2
  subnet_id      = aws_subnet.v6only[count.index].id
  route_table_id = aws_route_table.v6only.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "alb" {
  name   = "tf35-alb"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port        = 80
    to_port          = 80
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_lb_target_group" "web" {
  name                          = "tf35-web"
  port                          = 80
  protocol                      = "HTTP"
  vpc_id                        = aws_vpc.main.id
  target_type                   = "ip"
  deregistration_delay          = 30
  slow_start                    = 60
  load_balancing_algorithm_type = "least_outstanding_requests"
  stickiness {
    type            = "lb_cookie"
    cookie_duration = 7200
    enabled         = true
  }
  health_check {
    path     = "/"
    protocol = "HTTP"
    matcher  = "200"
  }
}

resource "aws_lb_target_group" "canary" {
  name        = "tf35-canary"
  port        = 80
  protocol    = "HTTP"
  vpc_id      = aws_vpc.main.id
  target_type = "ip"
  stickiness {
    type        = "app_cookie"
    cookie_name = "SESSION"
  }
}

resource "aws_lb" "alb" {
  name            = "tf35-alb"
  subnets         = aws_subnet.public[*].id
  security_groups = [aws_security_group.alb.id]
  ip_address_type = "dualstack"
  depends_on      = [aws_internet_gateway.igw]
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.alb.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "forward"
    forward {
      target_group {
        arn    = aws_lb_target_group.web.arn
        weight = 90
      }
      target_group {
        arn    = aws_lb_target_group.canary.arn
        weight = 10
      }
      stickiness {
        enabled  = true
        duration = 600
      }
    }
  }
}

resource "aws_lb_target_group" "tcp" {
  name       = "tf35-tcp"
  port       = 8080
  protocol   = "TCP"
  vpc_id     = aws_vpc.main.id
  slow_start = 0
  health_check {
    enabled  = true
    protocol = "TCP"
    interval = 10
  }
  stickiness {
    enabled = false
    type    = "source_ip"
  }
  target_health_state {
    enable_unhealthy_connection_termination = false
    unhealthy_draining_interval             = 60
  }
}

resource "aws_lb" "nlb" {
  name               = "tf35-nlb"
  load_balancer_type = "network"
  subnets            = aws_subnet.public[*].id
  depends_on         = [aws_internet_gateway.igw]
}

resource "aws_lb_listener" "tcp" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 8080
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tcp.arn
  }
}

output "v6only_subnets" { value = aws_subnet.v6only[*].id }
