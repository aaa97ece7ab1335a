# Round thirty-five (written for ecsnet): root outputs of values computed
# from sensitive ones through local values and a child module. Terraform
# 1.11.4 refuses conn, contact_pass, db_url and db ("Output refers to
# sensitive values") and takes contact_name (an object's items are marked
# one by one), db_host and unmarked.
provider "aws" { region = "us-east-1" }

variable "db_password" {
  type      = string
  default   = "hunter22"
  sensitive = true
}

locals {
  contact = { name = "app", pass = var.db_password }
  conn    = "postgres://app:${var.db_password}@db:5432/app"
}

module "db" {
  source   = "./modules/db"
  password = var.db_password
}

output "conn" { value = local.conn }
output "contact_name" { value = local.contact.name }
output "contact_pass" { value = local.contact.pass }
output "db_url" { value = module.db.url }
output "db_host" { value = module.db.host }
output "db" { value = module.db }
output "unmarked" { value = nonsensitive(local.conn) }
