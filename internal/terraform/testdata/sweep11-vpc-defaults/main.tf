# The VPC module's default security group, network ACL and route table,
# named and tagged as the module does, and its flow log to a log group the
# configuration makes.
resource "aws_cloudwatch_log_group" "flow" {
  name = "flow"
}
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.5.2"

  name            = "web"
  cidr            = "10.0.0.0/16"
  azs             = ["us-east-1a", "us-east-1b"]
  public_subnets  = ["10.0.0.0/24", "10.0.1.0/24"]
  private_subnets = ["10.0.10.0/24", "10.0.11.0/24"]

  enable_flow_log                  = true
  flow_log_destination_type        = "cloud-watch-logs"
  flow_log_destination_arn         = aws_cloudwatch_log_group.flow.arn
  flow_log_cloudwatch_iam_role_arn = "arn:aws:iam::123456789012:role/flow"

  manage_default_network_acl    = true
  default_network_acl_tags      = { Tier = "acl" }
  manage_default_route_table    = true
  default_route_table_tags      = { Tier = "rt" }
  manage_default_security_group = true
  default_security_group_tags   = { Tier = "sg" }
}
output "flow" { value = module.vpc.vpc_flow_log_id }
