# A bastion with an Elastic IP in eu-west-2; the outputs hand its names
# to an SSH config.
provider "aws" {
  region = "eu-west-2"
}

resource "aws_vpc" "hosts" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_hostnames = var.dns_hostnames
}

variable "dns_hostnames" {
  type    = bool
  default = true
}

resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.hosts.id
}

resource "aws_subnet" "edge" {
  vpc_id                  = aws_vpc.hosts.id
  cidr_block              = "10.40.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_instance" "bastion" {
  ami           = "ami-0a1b2c3d4e5f60718"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.edge.id
}

resource "aws_eip" "bastion" {
  domain   = "vpc"
  instance = aws_instance.bastion.id
}

output "eip_dns" {
  value = aws_eip.bastion.public_dns
}

output "eip_ip" {
  value = aws_eip.bastion.public_ip
}

output "instance_dns" {
  value = aws_instance.bastion.public_dns
}

output "instance_ip" {
  value = aws_instance.bastion.public_ip
}

output "instance_private_dns" {
  value = aws_instance.bastion.private_dns
}

output "instance_private_ip" {
  value = aws_instance.bastion.private_ip
}
