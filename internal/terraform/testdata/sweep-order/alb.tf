# The load balancer is declared (alb.tf) before the internet gateway
# (vpc.tf) and does not refer to it: Terraform creates both in parallel,
# and the gateway, one step after the VPC, exists before the load
# balancer, two steps after it (after sandeepraj786/ecs-terraform).
resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
  subnets            = [aws_subnet.a.id, aws_subnet.b.id]
}
