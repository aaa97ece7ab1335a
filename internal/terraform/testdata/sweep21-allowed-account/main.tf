variable "forbid" {
  default = false
}

provider "aws" {
  region                = "us-east-1"
  allowed_account_ids   = var.forbid ? null : [988857891049]
  forbidden_account_ids = var.forbid ? ["123456789012"] : null
}

data "aws_caller_identity" "current" {}

resource "aws_vpc" "primary" {
  cidr_block = "172.25.0.0/16"
}

output "account" {
  value = data.aws_caller_identity.current.account_id
}

output "vpc_arn" {
  value = aws_vpc.primary.arn
}
