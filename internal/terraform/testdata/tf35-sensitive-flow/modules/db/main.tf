variable "password" {
  type = string
}

output "url" {
  value = "postgres://app:${var.password}@db:5432/app"
}

output "host" {
  value = "db"
}
