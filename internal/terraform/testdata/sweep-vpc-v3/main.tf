# Round ten: a call pinning the VPC module's v3 gets v3's defaults
# (v4.0 changed them): public subnets map public IPs on launch, and the
# default security group is left as AWS makes it (all traffic from
# itself), so an instance there is reachable from the internet on SSH
# through the group attached to it.
provider "aws" {
  region = "eu-central-1"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "3.14.4"

  name            = "old"
  cidr            = "10.0.0.0/16"
  azs             = ["eu-central-1a"]
  public_subnets  = ["10.0.101.0/24"]
  private_subnets = ["10.0.1.0/24"]
}

resource "aws_security_group" "ssh" {
  name   = "ssh"
  vpc_id = module.vpc.vpc_id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "bastion" {
  ami                    = "ami-0a5b5c0ea66ec560d"
  instance_type          = "t3.nano"
  subnet_id              = module.vpc.public_subnets[0]
  vpc_security_group_ids = [aws_security_group.ssh.id, module.vpc.default_security_group_id]
}
