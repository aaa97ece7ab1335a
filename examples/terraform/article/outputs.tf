output "cluster_arn" {
  value = aws_ecs_cluster.this.arn
}

output "service_arn" {
  value = aws_ecs_service.web.id
}

output "public_subnet_ids" {
  value = module.network.public_subnet_ids
}
