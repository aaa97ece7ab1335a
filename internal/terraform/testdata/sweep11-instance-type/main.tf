# A task sized from the instance type's vCPUs and memory, as
# DescribeInstanceTypes gives them.
data "aws_ec2_instance_type" "host" {
  instance_type = "c5.2xlarge"
}
locals {
  cpu    = (data.aws_ec2_instance_type.host.default_vcpus - 1) * 1024
  memory = data.aws_ec2_instance_type.host.memory_size - 1024
}
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([{
    name   = "app"
    image  = "nginx"
    cpu    = local.cpu
    memory = local.memory
  }])
}
output "cpu" { value = local.cpu }
output "memory" { value = local.memory }
output "enis" { value = data.aws_ec2_instance_type.host.maximum_network_interfaces }
output "arch" { value = data.aws_ec2_instance_type.host.supported_architectures[0] }
