data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

resource "aws_security_group" "app" {
  name        = "my-app-sg"
  description = "allows app traffic"
  vpc_id      = data.aws_vpc.default.id

  ingress {
    description     = "app port"
    from_port       = var.app_docker_port
    to_port         = var.app_docker_port
    protocol        = "tcp"
    security_groups = [aws_security_group.lb_ingress.id]
  }

  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_security_group" "lb_ingress" {
  name        = "my-lb-ingress-sg"
  description = "allows lb-ingress traffic"
  vpc_id      = data.aws_vpc.default.id

  ingress {
    description      = "http"
    from_port        = 80
    to_port          = 80
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
}
