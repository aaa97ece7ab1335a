# Terraform 0.11's quoted references in depends_on: Terraform 1.x still
# takes them, with a warning.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_security_group" "web" {
  vpc_id     = aws_vpc.main.id
  depends_on = ["aws_vpc.main"]
}
