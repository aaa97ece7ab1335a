locals {
  region = "us-east-1"
  subnets = {
    us-east-1a = "10.0.1.0/24"
    us-east-1b = "10.0.2.0/24"
    us-east-1c = "10.0.3.0/24"
  }
  tags = "${merge(
    var.tags,
    map(
      "Cluster", "ECS_Cluster",
    )
  )}"

}