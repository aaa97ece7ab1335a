# References written with Terraform's "resource." prefix, in attributes,
# splats, for expressions, count arithmetic and depends_on.
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "this" { cidr_block = "10.9.0.0/16" }

resource "aws_internet_gateway" "this" { vpc_id = resource.aws_vpc.this.id }

resource "aws_route_table" "public" { vpc_id = resource.aws_vpc.this.id }

resource "aws_route" "public" {
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = resource.aws_internet_gateway.this.id
  route_table_id         = resource.aws_route_table.public.id
}

resource "aws_subnet" "public" {
  count             = 2
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
  cidr_block        = cidrsubnet(resource.aws_vpc.this.cidr_block, 8, count.index + length([1]))
  vpc_id            = resource.aws_vpc.this.id
}

resource "aws_route_table_association" "public" {
  for_each       = { for k, v in resource.aws_subnet.public : k => v.id }
  route_table_id = resource.aws_route_table.public.id
  subnet_id      = each.value
}

resource "aws_security_group" "lb" {
  name   = "lb"
  vpc_id = resource.aws_vpc.this.id
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "this" {
  name            = "prefixed"
  subnets         = resource.aws_subnet.public[*].id
  security_groups = [resource.aws_security_group.lb.id]
  depends_on      = [resource.aws_internet_gateway.this]
}
