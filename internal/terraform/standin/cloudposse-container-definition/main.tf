# ecsnet's stand-in for cloudposse/ecs-container-definition/aws, used when
# `terraform init` has not installed it: the module only renders one
# container definition from its inputs (the JSON ECS takes, camelCase, the
# unset keys left out), so the stand-in renders it the same way. Written
# for ecsnet; other arguments are ignored, with a warning.

variable "container_name" {}
variable "container_image" {}
variable "container_memory" { default = null }
variable "container_memory_reservation" { default = null }
variable "container_cpu" { default = 0 }
variable "essential" { default = true }
variable "port_mappings" { default = [] }
variable "environment" { default = null }
variable "map_environment" { default = null }
variable "secrets" { default = null }
variable "map_secrets" { default = null }
variable "command" { default = null }
variable "entrypoint" { default = null }
variable "working_directory" { default = null }
variable "readonly_root_filesystem" { default = false }
variable "healthcheck" { default = null }
variable "log_configuration" { default = null }
variable "mount_points" { default = [] }
variable "volumes_from" { default = [] }
variable "links" { default = null }
variable "user" { default = null }
variable "container_depends_on" { default = null }
variable "docker_labels" { default = null }
variable "ulimits" { default = null }
variable "privileged" { default = null }
variable "start_timeout" { default = null }
variable "stop_timeout" { default = null }
variable "system_controls" { default = null }
variable "extra_hosts" { default = null }
variable "hostname" { default = null }
variable "dns_servers" { default = null }
variable "linux_parameters" { default = null }
variable "firelens_configuration" { default = null }
variable "repository_credentials" { default = null }
variable "container_definition" { default = {} }

locals {
  env_list = var.map_environment != null ? [for k in sort(keys(var.map_environment)) : { name = k, value = tostring(var.map_environment[k]) }] : var.environment
  sec_list = var.map_secrets != null ? [for k in sort(keys(var.map_secrets)) : { name = k, valueFrom = var.map_secrets[k] }] : var.secrets
  definition = {
    name                   = var.container_name
    image                  = var.container_image
    essential              = var.essential
    entryPoint             = var.entrypoint
    command                = var.command
    workingDirectory       = var.working_directory
    readonlyRootFilesystem = var.readonly_root_filesystem
    mountPoints            = var.mount_points
    dnsServers             = var.dns_servers
    ulimits                = var.ulimits
    repositoryCredentials  = var.repository_credentials
    links                  = var.links
    volumesFrom            = var.volumes_from
    user                   = var.user
    dependsOn              = var.container_depends_on
    privileged             = var.privileged
    portMappings           = var.port_mappings
    healthCheck            = var.healthcheck
    firelensConfiguration  = var.firelens_configuration
    linuxParameters        = var.linux_parameters
    logConfiguration       = var.log_configuration
    memory                 = var.container_memory
    memoryReservation      = var.container_memory_reservation
    cpu                    = var.container_cpu
    environment            = local.env_list
    secrets                = local.sec_list
    dockerLabels           = var.docker_labels
    startTimeout           = var.start_timeout
    stopTimeout            = var.stop_timeout
    systemControls         = var.system_controls
    extraHosts             = var.extra_hosts
    hostname               = var.hostname
  }
  object = merge({ for k, v in local.definition : k => v if v != null }, var.container_definition)
}

output "json_map_object" { value = local.object }
output "json_map_encoded" { value = jsonencode(local.object) }
output "json_map_encoded_list" { value = jsonencode([local.object]) }
output "sensitive_json_map_object" { value = local.object }
output "sensitive_json_map_encoded" { value = jsonencode(local.object) }
output "sensitive_json_map_encoded_list" { value = jsonencode([local.object]) }
