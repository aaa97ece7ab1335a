# Round 15: a module source written as Terraform 0.11 took a relative
# path, without ./ (jedi132000/curology's root): Terraform 0.12 and later
# refuse it as an address they cannot place; `terraform init` cannot help.
provider "aws" {
  region = "us-east-2"
}
module "net" {
  source = "./net"
}
module "ecs" {
  source = "modules/ecs"
  vpc_id = module.net.vpc_id
}
