# ecsnet's stand-in for terraform-aws-modules/ecs/aws//modules/container-definition
# (v6), used when `terraform init` has not installed it: the module renders
# one container definition from its camelCase inputs (the JSON ECS takes,
# the null keys left out; the awslogs driver to the log group it creates,
# /aws/ecs/<service>/<name>, unless create_cloudwatch_log_group is false;
# linuxParameters.initProcessEnabled from enable_execute_command; on
# Windows the keys ECS refuses there are dropped), so the stand-in renders
# it the same way. Written for ecsnet; other arguments are ignored, with a
# warning.

variable "create" { default = true }
variable "operating_system_family" { default = "LINUX" }
variable "service" { default = null }
variable "name" { default = null }
variable "enable_execute_command" { default = false }
variable "create_cloudwatch_log_group" { default = true }
variable "enable_cloudwatch_logging" { default = true }
variable "cloudwatch_log_group_name" { default = null }
variable "cloudwatch_log_group_use_name_prefix" { default = false }
variable "cloudwatch_log_group_retention_in_days" { default = 14 }
variable "command" { default = null }
variable "cpu" { default = null }
variable "credentialSpecs" { default = null }
variable "dependsOn" { default = null }
variable "disableNetworking" { default = null }
variable "dnsSearchDomains" { default = null }
variable "dnsServers" { default = null }
variable "dockerLabels" { default = null }
variable "dockerSecurityOptions" { default = null }
variable "entrypoint" { default = null }
variable "environment" { default = null }
variable "environmentFiles" { default = null }
variable "essential" { default = null }
variable "extraHosts" { default = null }
variable "firelensConfiguration" { default = null }
variable "healthCheck" { default = null }
variable "hostname" { default = null }
variable "image" { default = null }
variable "interactive" { default = false }
variable "links" { default = null }
variable "linuxParameters" { default = {} }
variable "logConfiguration" { default = {} }
variable "memory" { default = null }
variable "memoryReservation" { default = null }
variable "mountPoints" { default = null }
variable "portMappings" { default = null }
variable "privileged" { default = false }
variable "pseudoTerminal" { default = false }
variable "readonlyRootFilesystem" { default = true }
variable "repositoryCredentials" { default = null }
variable "resourceRequirements" { default = null }
variable "restartPolicy" { default = { enabled = true } }
variable "secrets" { default = null }
variable "startTimeout" { default = null }
variable "stopTimeout" { default = null }
variable "systemControls" { default = null }
variable "ulimits" { default = null }
variable "user" { default = null }
variable "versionConsistency" { default = null }
variable "volumesFrom" { default = null }
variable "workingDirectory" { default = null }
variable "tags" { default = {} }

data "aws_region" "current" {}

locals {
  is_not_windows = contains(["LINUX"], var.operating_system_family)
  service        = var.service != null ? "/${var.service}" : ""
  name           = var.name != null ? "/${var.name}" : ""
  log_group_name = try(coalesce(var.cloudwatch_log_group_name, "/aws/ecs${local.service}${local.name}"), "")
  logs           = var.create_cloudwatch_log_group && var.enable_cloudwatch_logging
  logConfiguration = merge(
    { for k, v in {
      logDriver = "awslogs"
      options = {
        awslogs-region        = data.aws_region.current.name
        awslogs-group         = try(aws_cloudwatch_log_group.this[0].name, "")
        awslogs-stream-prefix = "ecs"
      }
    } : k => v if var.create_cloudwatch_log_group },
    { for k, v in var.logConfiguration : k => v if v != null }
  )
  linux_trimmed   = { for k, v in var.linuxParameters : k => v if v != null }
  linuxParameters = var.enable_execute_command ? merge(local.linux_trimmed, { initProcessEnabled = true }) : merge({ initProcessEnabled = false }, local.linux_trimmed)
  definition = {
    command                = var.command
    cpu                    = var.cpu
    credentialSpecs        = var.credentialSpecs
    dependsOn              = var.dependsOn
    disableNetworking      = local.is_not_windows ? var.disableNetworking : null
    dnsSearchDomains       = local.is_not_windows ? var.dnsSearchDomains : null
    dnsServers             = local.is_not_windows ? var.dnsServers : null
    dockerLabels           = var.dockerLabels
    dockerSecurityOptions  = var.dockerSecurityOptions
    entrypoint             = var.entrypoint
    environment            = var.environment
    environmentFiles       = var.environmentFiles
    essential              = var.essential
    extraHosts             = local.is_not_windows ? var.extraHosts : null
    firelensConfiguration  = var.firelensConfiguration
    healthCheck            = var.healthCheck
    hostname               = var.hostname
    image                  = var.image
    interactive            = var.interactive
    links                  = local.is_not_windows ? var.links : null
    linuxParameters        = local.is_not_windows ? local.linuxParameters : null
    logConfiguration       = length(local.logConfiguration) > 0 ? local.logConfiguration : null
    memory                 = var.memory
    memoryReservation      = var.memoryReservation
    mountPoints            = var.mountPoints
    name                   = var.name
    portMappings           = var.portMappings != null ? [for p in var.portMappings : { for k, v in p : k => v if v != null }] : null
    privileged             = local.is_not_windows ? var.privileged : null
    pseudoTerminal         = var.pseudoTerminal
    readonlyRootFilesystem = local.is_not_windows ? var.readonlyRootFilesystem : null
    repositoryCredentials  = var.repositoryCredentials
    resourceRequirements   = var.resourceRequirements
    restartPolicy          = { for k, v in var.restartPolicy : k => v if v != null }
    secrets                = var.secrets
    startTimeout           = var.startTimeout
    stopTimeout            = var.stopTimeout
    systemControls         = var.systemControls
    ulimits                = local.is_not_windows ? var.ulimits : null
    user                   = local.is_not_windows ? var.user : null
    versionConsistency     = var.versionConsistency
    volumesFrom            = var.volumesFrom
    workingDirectory       = var.workingDirectory
  }
  container_definition = { for k, v in local.definition : k => v if v != null }
}

resource "aws_cloudwatch_log_group" "this" {
  count             = var.create_cloudwatch_log_group && var.enable_cloudwatch_logging ? 1 : 0
  name              = var.cloudwatch_log_group_use_name_prefix ? null : local.log_group_name
  name_prefix       = var.cloudwatch_log_group_use_name_prefix ? "${local.log_group_name}-" : null
  retention_in_days = var.cloudwatch_log_group_retention_in_days
  tags              = var.tags
}

output "container_definition" { value = local.container_definition }
output "container_definition_json" { value = jsonencode(local.container_definition) }
output "cloudwatch_log_group_name" { value = try(aws_cloudwatch_log_group.this[0].name, null) }
output "cloudwatch_log_group_arn" { value = try(aws_cloudwatch_log_group.this[0].arn, null) }
