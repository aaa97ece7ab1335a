provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}

provider "aws" {
  alias  = "china"
  region = "cn-north-1"
}

data "aws_availability_zones" "home" {
  state = "available"
}

data "aws_availability_zones" "dr" {
  provider = aws.dr
  state    = "available"
}

data "aws_availability_zones" "china" {
  provider = aws.china
}

output "home" { value = join(",", data.aws_availability_zones.home.names) }
output "dr" { value = join(",", data.aws_availability_zones.dr.names) }
output "china" { value = join(",", data.aws_availability_zones.china.zone_ids) }
