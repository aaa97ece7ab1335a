// Package terraform reads Terraform configurations as an ecsnet SOURCE: a
// root module directory (*.tf, *.tf.json, terraform.tfvars, *.auto.tfvars,
// -var and -var-file values) is evaluated the way Terraform evaluates it,
// with HashiCorp's own parser (hcl/v2) and value system (go-cty):
// variables with types, defaults and validation, locals, count, for_each,
// dynamic blocks, expressions and Terraform's built-in functions, modules
// (local, or installed by `terraform init` under .terraform/modules), data
// sources answered from the system being built (or a base system), and the
// aws_* resources that make ECS networking, created through the engine in
// dependency order as `terraform apply` would create them. `terraform show
// -json` output (a plan or a state) is read with hashicorp/terraform-json.
//
// Terraform's own semantics are kept: a security group it creates has no
// egress rule unless declared, aws_default_* resources adopt and reset the
// defaults, aws_ecs_service's desired_count defaults to 0. Resource types
// ecsnet does not model are summarized in one warning. docs/import.md
// describes what is supported.
package terraform
