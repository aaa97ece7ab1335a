# ecsnet's stand-in for the registry module terraform-aws-modules/acm/aws,
# used when `terraform init` has not installed it. It requests the
# certificate (aws_acm_certificate, as the module does), writes its DNS
# validation records in the zone given (zone_id, or zones by domain) and
# waits for the validation, so that a listener given acm_certificate_arn
# reads on. Other arguments are ignored, with a warning.

variable "create_certificate" { default = true }
variable "create_route53_records" { default = true }
variable "create_route53_records_only" { default = false }
variable "validate_certificate" { default = true }
variable "wait_for_validation" { default = true }
variable "validation_allow_overwrite_records" { default = true }
variable "domain_name" { default = "" }
variable "subject_alternative_names" { default = [] }
# [choice] the module's README gives "DNS" as the default method.
variable "validation_method" { default = "DNS" }
variable "validation_record_fqdns" { default = [] }
variable "key_algorithm" { default = null }
variable "zone_id" { default = "" }
variable "zones" { default = {} }
variable "dns_ttl" { default = 60 }
variable "tags" { default = {} }
variable "putin_khuylo" { default = true }
variable "distinct_domain_names" { default = [] }

locals {
  create = var.create_certificate && var.putin_khuylo
  # The module's own count of its validation records, for the plan view
  # (planview.go, standinUnknownAtPlan): one per distinct name, a
  # wildcard's without "*.", so a name known only after apply refuses the
  # plan ("Invalid count argument" in the module's main.tf).
  # [src] terraform-aws-modules/terraform-aws-acm main.tf (locals.distinct_domain_names, aws_route53_record.validation's count)
  plan_count_aws_route53_record_validation = (local.create || var.create_route53_records_only) && var.validation_method == "DNS" && var.create_route53_records && (var.validate_certificate || var.create_route53_records_only) ? length(coalescelist(var.distinct_domain_names, distinct(
    [for s in concat([var.domain_name], var.subject_alternative_names) : replace(s, "*.", "")]
  ))) : 0
  # One record per distinct validation name (a wildcard and its apex share
  # one), as the module writes them.
  records = local.create && var.create_route53_records && var.validation_method == "DNS" ? {
    for o in aws_acm_certificate.this[0].domain_validation_options : o.resource_record_name => o...
  } : {}
}

resource "aws_acm_certificate" "this" {
  count                     = local.create ? 1 : 0
  domain_name               = var.domain_name
  subject_alternative_names = var.subject_alternative_names
  validation_method         = var.validation_method
  key_algorithm             = var.key_algorithm
  tags                      = var.tags
}

resource "aws_route53_record" "validation" {
  for_each        = local.records
  zone_id         = lookup(var.zones, each.value[0].domain_name, var.zone_id)
  name            = each.value[0].resource_record_name
  type            = each.value[0].resource_record_type
  ttl             = var.dns_ttl
  records         = [each.value[0].resource_record_value]
  allow_overwrite = var.validation_allow_overwrite_records
}

resource "aws_acm_certificate_validation" "this" {
  count                   = local.create && var.validation_method != "NONE" && var.validate_certificate && var.wait_for_validation ? 1 : 0
  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = length(local.records) > 0 ? [for r in aws_route53_record.validation : r.fqdn] : var.validation_record_fqdns
}

output "acm_certificate_arn" {
  value = try(aws_acm_certificate_validation.this[0].certificate_arn, aws_acm_certificate.this[0].arn, "")
}
output "acm_certificate_domain_validation_options" {
  value = flatten(aws_acm_certificate.this[*].domain_validation_options)
}
output "acm_certificate_status" { value = try(aws_acm_certificate.this[0].status, "") }
output "acm_certificate_validation_emails" { value = [] }
output "validation_route53_record_fqdns" { value = [for r in aws_route53_record.validation : r.fqdn] }
output "distinct_domain_names" { value = distinct(concat([var.domain_name], var.subject_alternative_names)) }
output "validation_domains" { value = flatten(aws_acm_certificate.this[*].domain_validation_options) }
# v2 and earlier named the outputs this_… (v3.0.0 renamed them).
output "this_acm_certificate_arn" {
  value = try(aws_acm_certificate_validation.this[0].certificate_arn, aws_acm_certificate.this[0].arn, "")
}
output "this_acm_certificate_domain_validation_options" {
  value = flatten(aws_acm_certificate.this[*].domain_validation_options)
}
output "this_acm_certificate_validation_emails" { value = [] }
