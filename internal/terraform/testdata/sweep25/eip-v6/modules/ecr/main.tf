resource "aws_ecr_repository" "repository" {
  name                 = var.name
  image_tag_mutability = var.tag_immutability
  force_delete         = true
  tags = {
    name = var.name
  }
}
