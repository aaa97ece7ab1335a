############################################################
# AWS ECS-TASK
############################################################

resource "aws_ecs_task_definition" "task_definition" {
  execution_role_arn       = aws_iam_role.ecs-instance-role.arn
  family                   = "openapi-task-defination"
  network_mode             = "awsvpc"
  memory                   = "2048"
  cpu                      = "1024"
  requires_compatibilities = ["EC2"]
  task_role_arn            = aws_iam_role.ecs-instance-role.arn
  container_definitions    = "${file("task_definition.json")}"
} 
