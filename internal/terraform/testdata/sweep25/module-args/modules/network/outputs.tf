
output "vpc_id" {
  value = aws_vpc.ecr_sandbox.id
}
