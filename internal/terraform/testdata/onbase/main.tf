# A service added to an existing system (--base): its VPC, subnets and
# security group are found through data sources.
data "aws_vpc" "main" {
  tags = { Name = "main" }
}
data "aws_subnets" "public" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.main.id]
  }
}
data "aws_security_group" "task" {
  name   = "task-sg"
  vpc_id = data.aws_vpc.main.id
}
resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions    = jsonencode([{ name = "api", image = "public.ecr.aws/nginx/nginx:1.27", portMappings = [{ containerPort = 3000 }] }])
}
resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = "demo"
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = data.aws_subnets.public.ids
    security_groups  = [data.aws_security_group.task.id]
    assign_public_ip = true
  }
}
