# A root module whose local module calls a local module that is not
# there: terraform init refuses the tree before it asks for the required
# variable or reads anything else.
provider "aws" {
  region = "us-east-1"
}

variable "name" {}

module "net" {
  source = "./net"
  name   = var.name
  cidr   = "10.1.0.0/16"
}
