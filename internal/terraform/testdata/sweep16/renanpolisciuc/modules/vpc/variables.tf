variable "cidr_block" {
  default = "192.168.100.0/24"
}