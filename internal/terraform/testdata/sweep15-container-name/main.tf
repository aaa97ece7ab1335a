# Round 15: a service whose load_balancer names a container the task
# definition does not have (Edjonathan/aws's nginx service): ECS's
# refusal, without the hint that an id exists only in another account
# (a container name is not an account's resource; --base cannot help).
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_lb" "lb" {
  name    = "web"
  subnets = [aws_subnet.a.id, aws_subnet.b.id]
}
resource "aws_lb_target_group" "tg" {
  name        = "web"
  port        = 80
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.v.id
}
resource "aws_lb_listener" "l" {
  load_balancer_arn = aws_lb.lb.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tg.arn
  }
}
resource "aws_ecs_cluster" "c" {
  name = "web"
}
resource "aws_ecs_task_definition" "t" {
  family                   = "web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions    = jsonencode([{ name = "ecs-nginx-container", image = "nginx", portMappings = [{ containerPort = 80 }] }])
}
resource "aws_ecs_service" "s" {
  name            = "web"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets = [aws_subnet.a.id]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.tg.arn
    container_name   = "ecs-container"
    container_port   = 80
  }
  depends_on = [aws_lb_listener.l]
}
