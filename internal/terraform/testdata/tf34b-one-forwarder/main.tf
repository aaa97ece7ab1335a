# Round thirty-four, second sweep (written for ecsnet): a target group two
# listener rules forward to (by host and by path); the service waits for
# one of them, which is all CreateService needs (the group is associated
# with the load balancer once one exists). The second service's group is
# forwarded to by a rule it does not wait for (it waits for the web
# group's rule instead), which stays warned of.
provider "aws" { region = "us-east-1" }
resource "aws_vpc" "this" { cidr_block = "10.30.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.30.0.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.30.1.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_internet_gateway" "this" { vpc_id = aws_vpc.this.id }
resource "aws_lb" "this" {
  name     = "one-forwarder"
  internal = true
  subnets  = [aws_subnet.a.id, aws_subnet.b.id]
}
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}
resource "aws_lb_target_group" "web" {
  name        = "web"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.this.id
}
resource "aws_lb_target_group" "api" {
  name        = "api"
  port        = 8081
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.this.id
}
resource "aws_lb_listener_rule" "web_host" {
  listener_arn = aws_lb_listener.http.arn
  priority     = 10
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
  condition {
    host_header { values = ["web.example.com"] }
  }
}
resource "aws_lb_listener_rule" "web_path" {
  listener_arn = aws_lb_listener.http.arn
  priority     = 20
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
  condition {
    path_pattern { values = ["/web/*"] }
  }
}
resource "aws_lb_listener_rule" "api_path" {
  listener_arn = aws_lb_listener.http.arn
  priority     = 30
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
  condition {
    path_pattern { values = ["/api/*"] }
  }
}
resource "aws_ecs_cluster" "this" { name = "one-forwarder" }
resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name         = "app"
    image        = "nginx"
    portMappings = [{ containerPort = 8080 }, { containerPort = 8081 }]
  }])
}
resource "aws_ecs_service" "web" {
  name            = "web"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets = [aws_subnet.a.id, aws_subnet.b.id]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.web.arn
    container_name   = "app"
    container_port   = 8080
  }
  depends_on = [aws_lb_listener_rule.web_host]
}
resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets = [aws_subnet.a.id, aws_subnet.b.id]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "app"
    container_port   = 8081
  }
  depends_on = [aws_lb_listener_rule.web_host]
}
