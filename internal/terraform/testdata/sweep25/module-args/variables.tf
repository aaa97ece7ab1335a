
# Global
variable "name_prefix" {}
