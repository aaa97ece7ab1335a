provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

variable "ports" {
  default = { http = 80, https = 443 }
}

# As mandicm223/TerraformGitHubActions security.tf writes it: ports and
# no destination. The provider sends the rules; EC2 adds none.
resource "aws_security_group" "tasks" {
  name   = "tasks"
  vpc_id = aws_vpc.main.id

  ingress {
    protocol        = "tcp"
    from_port       = 8080
    to_port         = 8080
    security_groups = [aws_security_group.lb.id]
  }

  dynamic "egress" {
    for_each = var.ports
    content {
      protocol  = "tcp"
      from_port = egress.value
      to_port   = egress.value
    }
  }
}

resource "aws_security_group" "lb" {
  name   = "lb"
  vpc_id = aws_vpc.main.id

  ingress {
    protocol  = "tcp"
    from_port = 80
    to_port   = 80
  }

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}
