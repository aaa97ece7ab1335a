# After codykal/ECS-Terraform Security-Group.tf: the VPC's default group
# admits MySQL from the instances' group. terraform destroy leaves the
# default group's rules (its delete only forgets the resource), so the
# instances' group cannot be deleted; a real destroy against ecsnet serve
# retried DeleteSecurityGroup (DependencyViolation) for 15 minutes.
provider "aws" {
  region = "us-west-2"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "instances" {
  name   = "instances"
  vpc_id = aws_vpc.main.id
}

resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol  = -1
    self      = true
    from_port = 0
    to_port   = 0
  }

  ingress {
    from_port       = 3306
    to_port         = 3306
    protocol        = "tcp"
    security_groups = [aws_security_group.instances.id]
  }
}
