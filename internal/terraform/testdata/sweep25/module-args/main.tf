# Module calls whose arguments the modules no longer declare.
provider "aws" {
  region = "us-east-1"
}

variable "name_prefix" {
  type = string
}

module "alb" {
  source           = "./modules/alb"
  name_prefix      = var.name_prefix
  subnet_public_id = "subnet-0123456789abcdef0"
  sg_id            = "sg-0123456789abcdef0"
}
