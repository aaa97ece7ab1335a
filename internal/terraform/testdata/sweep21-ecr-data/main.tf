provider "aws" {
  region = "us-east-1"
}

variable "lookup" {
  default = "softserv_app"
}

resource "aws_ecr_repository" "default" {
  name = "softserv_app"

  image_scanning_configuration {
    scan_on_push = true
  }
}

data "aws_ecr_repository" "default" {
  name = var.lookup
  depends_on = [
    aws_ecr_repository.default
  ]
}

output "url" {
  value = data.aws_ecr_repository.default.repository_url
}

output "same" {
  value = data.aws_ecr_repository.default.arn == aws_ecr_repository.default.arn
}
