// Package terraform reads Terraform configurations as an ecsnet SOURCE: a
// root module directory (*.tf, *.tf.json, TF_VAR_ variables,
// terraform.tfvars, *.auto.tfvars, -var and -var-file values) is evaluated
// the way Terraform evaluates it, with HashiCorp's own parser (hcl/v2) and
// value system (go-cty): variables with types, defaults and validation,
// locals, count, for_each, dynamic blocks, preconditions, expressions and
// Terraform's built-in functions, modules (local, or installed by
// `terraform init` under .terraform/modules), data sources answered from
// the system being built (or a base system), and the aws_* resources that
// make ECS networking, created through the engine in dependency order as
// `terraform apply` would create them, waiting where the provider waits.
// `terraform show -json` output (a plan or a state) is read with
// hashicorp/terraform-json and goes through the same resource handlers.
//
// Terraform's own semantics are kept: a security group it creates has no
// egress rule unless declared, aws_default_* resources adopt and reset the
// defaults, aws_ecs_service's desired_count defaults to 0. Resource types
// ecsnet does not model are summarized in one warning, except those that
// could change a verdict, which are said one by one. Every resource gets
// its address as a name (Result.Names), so output and --from/--to can use
// it. docs/import.md describes what is supported.
package terraform
