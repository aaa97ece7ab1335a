data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_iam_role" "ecs-task" {
  name                 = format("ecs-task-%s", var.name)
  assume_role_policy   = data.aws_iam_policy_document.ecs-task-assume-role-policy.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "ecs-task-assume-role-policy" {
  statement {
    effect = "Allow"
    principals {
      identifiers = ["ecs-tasks.amazonaws.com"]
      type        = "Service"
    }
    actions = ["sts:AssumeRole"]
  }
}

resource "aws_iam_role_policy_attachment" "ecs-task-attachment" {
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
  role       = aws_iam_role.ecs-task.id
}
