
output "logs_group_name" {
  value = local.logs_group_name
}
