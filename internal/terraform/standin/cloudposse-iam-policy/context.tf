# The context every cloudposse module takes (its context.tf): the label's
# parts, given one by one or as a context object from another label.

variable "context" {
  default = {
    enabled             = true
    namespace           = null
    tenant              = null
    environment         = null
    stage               = null
    name                = null
    delimiter           = null
    attributes          = []
    tags                = {}
    additional_tag_map  = {}
    regex_replace_chars = null
    label_order         = []
    id_length_limit     = null
    label_key_case      = null
    label_value_case    = null
    descriptor_formats  = {}
    labels_as_tags      = ["unset"]
  }
}
variable "enabled" { default = null }
variable "namespace" { default = null }
variable "tenant" { default = null }
variable "environment" { default = null }
variable "stage" { default = null }
variable "name" { default = null }
variable "delimiter" { default = null }
variable "attributes" { default = [] }
variable "tags" { default = {} }
variable "additional_tag_map" { default = {} }
variable "label_order" { default = null }
variable "regex_replace_chars" { default = null }
variable "id_length_limit" { default = null }
variable "label_key_case" { default = null }
variable "label_value_case" { default = null }
variable "descriptor_formats" { default = {} }
variable "labels_as_tags" { default = ["default"] }

locals {
  label_enabled     = var.enabled != null ? var.enabled : try(var.context.enabled, true) != null ? try(var.context.enabled, true) : true
  label_delimiter   = coalesce(var.delimiter, try(var.context.delimiter, null), "-")
  label_parts = {
    namespace   = var.namespace != null ? var.namespace : try(var.context.namespace, null)
    tenant      = var.tenant != null ? var.tenant : try(var.context.tenant, null)
    environment = var.environment != null ? var.environment : try(var.context.environment, null)
    stage       = var.stage != null ? var.stage : try(var.context.stage, null)
    name        = var.name != null ? var.name : try(var.context.name, null)
  }
  label_attributes = distinct(compact(concat(try(var.context.attributes, []), var.attributes)))
  label_order      = var.label_order != null ? var.label_order : ["namespace", "tenant", "environment", "stage", "name", "attributes"]
  label_values     = { for k, v in local.label_parts : k => lower(replace(v == null ? "" : v, "/[^-a-zA-Z0-9]/", "")) }
  label_id = join(local.label_delimiter, compact([for l in local.label_order : l == "attributes" ? join(local.label_delimiter, [for a in local.label_attributes : lower(a)]) : local.label_values[l]]))
  label_tags = merge(
    try(var.context.tags, {}),
    { for k, v in local.label_values : title(k) => v if v != "" && k != "name" },
    local.label_id != "" ? { Name = local.label_id } : {},
    var.tags,
  )
  label_context = {
    enabled             = local.label_enabled
    namespace           = local.label_parts.namespace
    tenant              = local.label_parts.tenant
    environment         = local.label_parts.environment
    stage               = local.label_parts.stage
    name                = local.label_parts.name
    delimiter           = local.label_delimiter
    attributes          = local.label_attributes
    tags                = local.label_tags
    additional_tag_map  = var.additional_tag_map
    regex_replace_chars = var.regex_replace_chars
    label_order         = local.label_order
    id_length_limit     = var.id_length_limit
    label_key_case      = var.label_key_case
    label_value_case    = var.label_value_case
    descriptor_formats  = var.descriptor_formats
    labels_as_tags      = var.labels_as_tags
  }
}
