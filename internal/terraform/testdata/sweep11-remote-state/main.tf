# A network layer's outputs read from its state with the local backend.
data "terraform_remote_state" "network" {
  backend = "local"
  config = {
    path = "network.tfstate"
  }
}

resource "aws_vpc" "main" {
  cidr_block = data.terraform_remote_state.network.outputs.cidr
}

resource "aws_subnet" "app" {
  count      = length(data.terraform_remote_state.network.outputs.subnet_cidrs)
  vpc_id     = aws_vpc.main.id
  cidr_block = data.terraform_remote_state.network.outputs.subnet_cidrs[count.index]
}

output "subnets" { value = length(aws_subnet.app) }
