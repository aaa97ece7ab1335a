provider "aws" {
  region = "eu-west-1"
}

data "aws_region" "current" {}

# The disaster-recovery region, by name; a China region by its endpoint.
data "aws_region" "dr" {
  name = "eu-central-1"
}

data "aws_region" "china" {
  endpoint = "ec2.cn-northwest-1.amazonaws.com.cn"
}

output "current" { value = "${data.aws_region.current.name}|${data.aws_region.current.description}" }
output "dr" { value = "${data.aws_region.dr.name}|${data.aws_region.dr.description}|${data.aws_region.dr.endpoint}" }
output "china" { value = "${data.aws_region.china.name}|${data.aws_region.china.description}" }
