# Round thirty-seven (ecsnet's own): Terraform's built-in terraform_data
# at plan. Its id is a UUID per instance, known only after apply but
# refined as not null; its output is the input after apply. terraform
# 1.11.4 refuses the "bad_" ones at plan and plans the "ok_" ones.
provider "aws" {
  region = "us-east-1"
}

resource "terraform_data" "a" {
  count = 2
  input = "x"
}

resource "terraform_data" "bad_joined" {
  count = length(split(",", join(",", terraform_data.a[*].id)))
}

resource "terraform_data" "bad_set" {
  for_each = toset(terraform_data.a[*].id)
}

resource "terraform_data" "bad_keys" {
  for_each = { for x in terraform_data.a : x.id => x }
}

resource "terraform_data" "bad_compared" {
  for_each = terraform_data.a[0].id == "" ? {} : { a = 1 }
}

resource "terraform_data" "bad_output" {
  count = terraform_data.a[0].output == null ? 0 : 1
}

resource "terraform_data" "ok_length" {
  count = length(terraform_data.a[*].id)
}

resource "terraform_data" "ok_static_keys" {
  for_each = { for i, x in terraform_data.a : "k${i}" => x.id }
}

resource "terraform_data" "ok_input" {
  count = terraform_data.a[0].input == "x" ? 1 : 0
}

resource "terraform_data" "ok_not_null" {
  count = terraform_data.a[0].id == null ? 0 : 1
}

resource "terraform_data" "ok_one_element_set" {
  count = length(toset([terraform_data.a[0].id]))
}
