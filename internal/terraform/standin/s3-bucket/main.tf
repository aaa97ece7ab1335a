# ecsnet's stand-in for the registry module
# terraform-aws-modules/s3-bucket/aws, used when `terraform init` has not
# installed it. A bucket shapes no packet in a VPC (gateway endpoints and
# prefix lists do, and they are the VPC's): the stand-in makes the bucket
# (not modelled by ecsnet) so that what refers to its name and ARN reads
# on. Other arguments are ignored, with a warning.

variable "create_bucket" { default = true }
variable "bucket" { default = null }
variable "bucket_prefix" { default = null }
variable "tags" { default = {} }

resource "aws_s3_bucket" "this" {
  count         = var.create_bucket ? 1 : 0
  bucket        = var.bucket != null ? var.bucket : "${coalesce(var.bucket_prefix, "terraform-")}20260101000000000000000001"
  tags          = var.tags
}

output "s3_bucket_id" { value = try(aws_s3_bucket.this[0].bucket, "") }
output "s3_bucket_arn" { value = try(aws_s3_bucket.this[0].arn, "") }
output "s3_bucket_bucket_domain_name" { value = try("${aws_s3_bucket.this[0].bucket}.s3.amazonaws.com", "") }
output "s3_bucket_bucket_regional_domain_name" { value = try("${aws_s3_bucket.this[0].bucket}.s3.${data.aws_region.current.name}.amazonaws.com", "") }
output "s3_bucket_region" { value = data.aws_region.current.name }

data "aws_region" "current" {}
