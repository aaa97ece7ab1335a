# written: the stored main.tf uses var.whitelisted_ip_address but the index holds no declaration of it
variable "whitelisted_ip_address" {
  type = string
}
