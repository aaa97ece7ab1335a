output "alb_tg_arn" {
  value = aws_alb_target_group.this.arn
}
