variable "environment" {
  description = "The deployment environment"
  type        = string
}

variable "cluster_name" {
  description = "Name of the ECS Cluster"
  type        = string
}
