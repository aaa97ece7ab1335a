variable "ecs_task_execution_role_name" {
  type        = string
  default     = "ecsTaskExecutionRole"
}
