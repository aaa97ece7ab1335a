# Written for ecsnet (round thirty-six) after the shape of
# turnerlabs/terraform-ecs-fargate-nlb env/dev (nlb.tf, nsg.tf): an
# internal NLB without security groups in front of a Fargate service, and
# the tasks' group admitting only the NLB's node addresses, looked up with
# data "aws_network_interface" by the nodes' description ("ELB " and the
# load balancer's arn_suffix) and subnet; data "aws_network_interfaces"
# lists the same ENIs by the description alone.
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "v" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "s" {
  count             = 2
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet("10.40.0.0/16", 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_lb" "main" {
  name               = "eni-nlb"
  load_balancer_type = "network"
  internal           = true
  subnets            = aws_subnet.s[*].id
}

data "aws_network_interface" "nlb" {
  count = 2

  filter {
    name   = "description"
    values = ["ELB ${aws_lb.main.arn_suffix}"]
  }

  filter {
    name   = "subnet-id"
    values = [aws_subnet.s[count.index].id]
  }
}

data "aws_network_interfaces" "nlb" {
  filter {
    name   = "description"
    values = ["ELB ${aws_lb.main.arn_suffix}"]
  }
}

resource "aws_security_group" "task" {
  name   = "task"
  vpc_id = aws_vpc.v.id
}

resource "aws_security_group_rule" "from_nlb" {
  type              = "ingress"
  from_port         = 8080
  to_port           = 8080
  protocol          = "tcp"
  cidr_blocks       = formatlist("%s/32", flatten(data.aws_network_interface.nlb[*].private_ips))
  security_group_id = aws_security_group.task.id
}

output "types" {
  value = join(",", data.aws_network_interface.nlb[*].interface_type)
}

output "ids" {
  value = join(",", sort(data.aws_network_interfaces.nlb.ids))
}

output "node_ids" {
  value = join(",", sort(data.aws_network_interface.nlb[*].id))
}
