# The ECS module's v2/v3 interface: capacity_providers as a list of names
# and default_capacity_provider_strategy as a list of objects.
module "ecs" {
  source  = "terraform-aws-modules/ecs/aws"
  version = "3.5.0"

  name               = "legacy"
  container_insights = true
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
  default_capacity_provider_strategy = [
    { capacity_provider = "FARGATE_SPOT", weight = 3 },
    { capacity_provider = "FARGATE", weight = 1, base = 1 },
  ]
}
output "cluster" { value = module.ecs.ecs_cluster_name }
