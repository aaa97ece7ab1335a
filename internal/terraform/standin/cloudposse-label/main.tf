# ecsnet's stand-in for cloudposse/label/null, used when `terraform init`
# has not installed it: the label's id (namespace, tenant, environment,
# stage, name and attributes, lower case, joined by "-"), its tags (Name
# and the parts) and the context other cloudposse modules take.

output "id" { value = local.label_enabled ? local.label_id : "" }
output "name" { value = local.label_enabled ? local.label_values.name : "" }
output "namespace" { value = local.label_values.namespace }
output "stage" { value = local.label_values.stage }
output "environment" { value = local.label_values.environment }
output "tenant" { value = local.label_values.tenant }
output "attributes" { value = local.label_attributes }
output "delimiter" { value = local.label_delimiter }
output "enabled" { value = local.label_enabled }
output "tags" { value = local.label_enabled ? local.label_tags : {} }
output "context" { value = local.label_context }
output "normalized_context" { value = local.label_context }
