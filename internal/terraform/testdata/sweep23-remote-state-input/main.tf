provider "aws" {
  region = "us-east-1"
}

data "terraform_remote_state" "network" {
  backend = "s3"
  config = {
    bucket = "states"
    key    = "network/terraform.tfstate"
    region = "us-east-1"
  }
}

module "app" {
  source = "./app"
  vpc_id = data.terraform_remote_state.network.outputs.vpc_id
}
