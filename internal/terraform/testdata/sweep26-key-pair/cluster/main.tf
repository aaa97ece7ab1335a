# After elbetasal/app-playground infrastructure/modules/ecs/cluster: the
# key pair is a variable's default that the module's callers leave out.
variable "ssh_key_name" {
  type    = string
  default = "production-ecs"
}

variable "profile_key" {
  type    = string
  default = "unused"
}

resource "aws_launch_template" "ecs" {
  name          = "production-launch-template"
  image_id      = "ami-062c116e449466e7f"
  instance_type = "t2.micro"
  key_name      = var.ssh_key_name
}

resource "aws_launch_template" "given" {
  name          = "given-launch-template"
  image_id      = "ami-062c116e449466e7f"
  instance_type = "t2.micro"
  key_name      = var.profile_key
}
