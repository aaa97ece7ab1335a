# Round thirty-five (written for ecsnet, after the NLB target groups of the
# public configurations in docs/terraform-acceptance.md): the old workaround
# `stickiness { enabled = false, type = "lb_cookie" }` on a TCP target
# group. hashicorp/aws 5.x sends stickiness.type whatever enabled says, and
# ELB refuses it: "Stickiness type 'lb_cookie' is not supported for target
# groups with the TCP protocol" (hashicorp/terraform-provider-aws#15603).
provider "aws" { region = "us-east-1" }

resource "aws_vpc" "main" {
  cidr_block = "10.43.0.0/16"
}

resource "aws_lb_target_group" "nlb" {
  name     = "nlb"
  port     = 8080
  protocol = "TCP"
  vpc_id   = aws_vpc.main.id
  stickiness {
    enabled = false
    type    = "lb_cookie"
  }
}
