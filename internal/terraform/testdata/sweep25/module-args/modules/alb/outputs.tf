
output "target_arn" {
  value = aws_lb_target_group.default.arn
}
