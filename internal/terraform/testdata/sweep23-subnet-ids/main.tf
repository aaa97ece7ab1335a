# No provider constraint: `terraform init` installs the newest release,
# which has no data source aws_subnet_ids (v5.0.0 removed it).
provider "aws" {
  region = "ap-southeast-1"
}

data "aws_vpc" "this" {
  default = true
}

data "aws_subnet_ids" "this" {
  vpc_id = data.aws_vpc.this.id
}

resource "aws_security_group" "this" {
  name   = "mongo-ecs-SG"
  vpc_id = data.aws_vpc.this.id
}

output "first_subnet" {
  value = tolist(data.aws_subnet_ids.this.ids)[0]
}
