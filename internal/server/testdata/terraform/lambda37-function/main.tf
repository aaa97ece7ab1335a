# A Lambda function beside ECS networking (round 37, lambda37): its
# execution role, a VPC of two private subnets and a security group for
# its Hyperplane ENIs, reserved concurrency, a published version and an
# alias of it, and an EventBridge schedule allowed to invoke the function
# and the alias. fn.zip is a one-file deployment package made for this
# test (index.py).

terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "fn" {
  name               = "lambda37-fn"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "vpc" {
  role       = aws_iam_role.fn.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_vpc" "main" {
  cidr_block = "10.37.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_security_group" "fn" {
  name   = "lambda37-fn"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lambda_function" "fn" {
  function_name    = "lambda37-fn"
  role             = aws_iam_role.fn.arn
  runtime          = "python3.12"
  handler          = "index.handler"
  filename         = "${path.module}/fn.zip"
  source_code_hash = filebase64sha256("${path.module}/fn.zip")
  timeout          = 10
  memory_size      = 256
  publish          = true

  reserved_concurrent_executions = 5

  environment {
    variables = { STAGE = "test" }
  }

  vpc_config {
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.fn.id]
  }

  tags = { Name = "lambda37-fn" }

  depends_on = [aws_iam_role_policy_attachment.vpc]
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.fn.function_name
  function_version = aws_lambda_function.fn.version
}

resource "aws_cloudwatch_event_rule" "every_hour" {
  name                = "lambda37-every-hour"
  schedule_expression = "rate(1 hour)"
}

resource "aws_lambda_permission" "events" {
  statement_id  = "AllowExecutionFromEventBridge"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.every_hour.arn
}

resource "aws_lambda_permission" "alias" {
  statement_id  = "AllowAliasFromEventBridge"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn.function_name
  qualifier     = aws_lambda_alias.live.name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.every_hour.arn
}
