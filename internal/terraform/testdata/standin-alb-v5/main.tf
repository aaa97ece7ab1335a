# terraform-aws-modules/alb/aws's list interface as v5 to v8 wrote it
# (after its complete-alb example): targets per target group,
# http_tcp_listener_rules and https_listener_rules whose conditions are
# objects of lists, an http header condition, a module left uncreated
# with create_lb; security-group/aws's v3 output this_security_group_id.
terraform {
  required_providers {
    # the modules' v5-era releases ran on provider v4 at the newest;
    # v5 removed data "aws_subnet_ids"
    aws = { source = "hashicorp/aws", version = "~> 4.0" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnet_ids" "all" {
  vpc_id = data.aws_vpc.default.id
}

module "security_group" {
  source              = "terraform-aws-modules/security-group/aws"
  version             = "~> 3.0"
  name                = "alb-sg"
  vpc_id              = data.aws_vpc.default.id
  ingress_cidr_blocks = ["0.0.0.0/0"]
  ingress_rules       = ["http-80-tcp"]
  egress_rules        = ["all-all"]
}

module "web_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 3.0"
  name    = "web-sg"
  vpc_id  = data.aws_vpc.default.id
  computed_ingress_with_source_security_group_id = [{
    rule                     = "http-8080-tcp"
    source_security_group_id = module.security_group.this_security_group_id
  }]
  number_of_computed_ingress_with_source_security_group_id = 1
}

resource "aws_instance" "web" {
  ami                    = "ami-0c1f2a3b4d5e6f708"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [module.web_sg.this_security_group_id]
}

module "alb" {
  source          = "terraform-aws-modules/alb/aws"
  version         = "~> 5.0"
  name            = "legacy"
  vpc_id          = data.aws_vpc.default.id
  security_groups = [module.security_group.this_security_group_id]
  subnets         = data.aws_subnet_ids.all.ids

  http_tcp_listeners = [{
    port        = 80
    protocol    = "HTTP"
    action_type = "fixed-response"
    fixed_response = {
      content_type = "text/plain"
      status_code  = "404"
    }
  }]
  http_tcp_listener_rules = [
    {
      http_tcp_listener_index = 0
      priority                = 10
      actions                 = [{ type = "forward", target_group_index = 0 }]
      conditions              = [{ path_patterns = ["/app/*", "/app"] }]
    },
    {
      http_tcp_listener_index = 0
      priority                = 20
      actions                 = [{ type = "fixed-response", content_type = "text/plain", status_code = 200 }]
      conditions = [{
        http_headers = [{ http_header_name = "x-probe", values = ["yes"] }]
      }]
    },
  ]
  target_groups = [{
    name_prefix      = "web"
    backend_protocol = "HTTP"
    backend_port     = 8080
    target_type      = "instance"
    targets = {
      web = { target_id = aws_instance.web.id, port = 8080 }
    }
  }]
}

module "lb_disabled" {
  source    = "terraform-aws-modules/alb/aws"
  version   = "~> 5.0"
  create_lb = false
}
