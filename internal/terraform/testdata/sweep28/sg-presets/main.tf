provider "aws" {
  region = "eu-west-2"
}

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

# The security-group module's preset submodules, as public configurations
# call them: a web group open to the world on 80, an SSH group open to the
# VPC, and a database group whose preset egress is turned off.
module "web_sg" {
  source  = "terraform-aws-modules/security-group/aws//modules/http-80"
  version = "~> 5.0"

  name                = "web"
  vpc_id              = aws_vpc.main.id
  ingress_cidr_blocks = ["0.0.0.0/0"]
}

module "ssh_sg" {
  source  = "terraform-aws-modules/security-group/aws//modules/ssh"
  version = "~> 5.0"

  name                = "ssh"
  vpc_id              = aws_vpc.main.id
  ingress_cidr_blocks = [aws_vpc.main.cidr_block]
}

module "db_sg" {
  source  = "terraform-aws-modules/security-group/aws//modules/postgresql"
  version = "~> 5.0"

  name                = "db"
  vpc_id              = aws_vpc.main.id
  ingress_cidr_blocks = ["10.20.1.0/24"]
  auto_egress_rules   = []
}

output "web" { value = module.web_sg.security_group_id }
output "ssh" { value = module.ssh_sg.security_group_id }
output "db" { value = module.db_sg.security_group_id }
