# Two target groups by count; the listener names the counted resource
# without an instance key, which Terraform refuses.
resource "aws_vpc" "v" {
  cidr_block = "10.4.0.0/16"
}

resource "aws_lb_target_group" "tg" {
  count    = 2
  name     = "tg-${count.index}"
  port     = 80
  protocol = "HTTP"
  vpc_id   = aws_vpc.v.id
}

output "first" {
  value = aws_lb_target_group.tg[0].arn
}

output "all" {
  value = aws_lb_target_group.tg[*].arn
}

output "bad" {
  value = aws_lb_target_group.tg.arn
}
