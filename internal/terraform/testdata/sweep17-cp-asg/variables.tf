variable "region" {
  type = string
}

variable "availability_zones" {
  type = list(string)
}
