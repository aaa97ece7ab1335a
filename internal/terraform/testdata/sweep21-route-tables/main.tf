provider "aws" {
  region = "ap-southeast-2"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_route_tables" "default" {
  vpc_id = data.aws_vpc.default.id
}

data "aws_route_tables" "none" {
  vpc_id = data.aws_vpc.default.id
  filter {
    name   = "association.main"
    values = ["false"]
  }
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = data.aws_vpc.default.id
  service_name      = "com.amazonaws.ap-southeast-2.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = data.aws_route_tables.default.ids
}

output "tables" {
  value = length(data.aws_route_tables.default.ids)
}

output "not_main" {
  value = length(data.aws_route_tables.none.ids)
}
