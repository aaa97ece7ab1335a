variable "repository_url" {
  type = string
}

variable "ecs_task_execution_role" {
  type = string
}

variable "cluster_name" {
  type = string
}

variable "task_name" {
  type = string
}

variable "service_name" {
  type = string
}

variable "fargate_memory" {
  type = number
}

variable "fargate_cpu" {
  type = number
}

variable "container_port" {
  type = number
}

variable "host_port" {
  type = number
}

variable "service_desired_count" {
  type = number
}

variable "ecs_service_sg" {
  type = list(any)
}

variable "subnets" {
  type = list(any)
}

variable "alb_target_group" {
  type = string
}

