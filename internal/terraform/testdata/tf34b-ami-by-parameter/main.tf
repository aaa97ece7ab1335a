# Round thirty-four, second sweep (written for ecsnet): an ECS-optimized AMI
# looked up by its SSM parameter and found again with aws_ami's image-id
# filter, as EreenKara/Blockchain_Based_I_Voting infra/data.tf does; and a
# query by an image id no one publishes, which stays warned of.
data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
}
data "aws_ami" "by_parameter" {
  most_recent = true
  filter {
    name   = "image-id"
    values = [data.aws_ssm_parameter.ecs_ami.value]
  }
}
data "aws_ami" "unknown" {
  most_recent = true
  filter {
    name   = "image-id"
    values = ["ami-00000000000000001"]
  }
}
output "by_parameter" { value = data.aws_ami.by_parameter.id }
output "parameter" { value = nonsensitive(data.aws_ssm_parameter.ecs_ami.value) }
