# A function's asynchronous invocation settings and URLs (round 38, lambda38): a
# function, a second function as the failure destination, a published
# version and its alias, and an aws_lambda_function_event_invoke_config
# on the function ($LATEST) and one on the alias, and a function URL on
# each (CORS on the function's). fn.zip is the one-file
# deployment package of lambda37-function.

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
  name               = "lambda38-fn"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_lambda_function" "fn" {
  function_name    = "lambda38-fn"
  role             = aws_iam_role.fn.arn
  runtime          = "python3.12"
  handler          = "index.handler"
  filename         = "${path.module}/fn.zip"
  source_code_hash = filebase64sha256("${path.module}/fn.zip")
  publish          = true
}

resource "aws_lambda_function" "failures" {
  function_name    = "lambda38-failures"
  role             = aws_iam_role.fn.arn
  runtime          = "python3.12"
  handler          = "index.handler"
  filename         = "${path.module}/fn.zip"
  source_code_hash = filebase64sha256("${path.module}/fn.zip")
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.fn.function_name
  function_version = aws_lambda_function.fn.version
}

resource "aws_lambda_function_event_invoke_config" "latest" {
  function_name                = aws_lambda_function.fn.function_name
  maximum_event_age_in_seconds = 600
  maximum_retry_attempts       = 1

  destination_config {
    on_failure {
      destination = aws_lambda_function.failures.arn
    }
  }
}

resource "aws_lambda_function_event_invoke_config" "live" {
  function_name          = aws_lambda_function.fn.function_name
  qualifier              = aws_lambda_alias.live.name
  maximum_retry_attempts = 0
}

resource "aws_lambda_function_url" "fn" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "NONE"

  cors {
    allow_origins = ["https://example.com"]
    allow_methods = ["GET", "POST"]
    max_age       = 300
  }
}

resource "aws_lambda_function_url" "live" {
  function_name      = aws_lambda_function.fn.function_name
  qualifier          = aws_lambda_alias.live.name
  authorization_type = "AWS_IAM"
}

output "url" {
  value = aws_lambda_function_url.fn.function_url
}
