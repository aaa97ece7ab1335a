# A small awsvpc-on-EC2 system in the shape of public walkthroughs: the
# launch template names its instances (tag_specifications), the ALB group
# admits CloudFront through AWS's managed prefix list (a data source).
provider "aws" {
  region = "eu-central-1"
}

data "aws_availability_zones" "azs" {}

data "aws_ec2_managed_prefix_list" "cloudfront" {
  name = "com.amazonaws.global.cloudfront.origin-facing"
}

data "aws_prefix_list" "s3" {
  name = "com.amazonaws.eu-central-1.s3"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(aws_vpc.main.cidr_block, 8, 1)
  availability_zone       = data.aws_availability_zones.azs.names[0]
  map_public_ip_on_launch = true
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "hosts" {
  name   = "hosts"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [data.aws_ec2_managed_prefix_list.cloudfront.id]
  }
  egress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [data.aws_prefix_list.s3.id]
  }
}

resource "aws_ecs_cluster" "main" {
  name = "main"
}

resource "aws_launch_template" "hosts" {
  name_prefix            = "hosts-"
  image_id               = "ami-0123456789abcdef0"
  instance_type          = "t3.small"
  vpc_security_group_ids = [aws_security_group.hosts.id]
  user_data              = base64encode("echo ECS_CLUSTER=main >> /etc/ecs/ecs.config")
  tag_specifications {
    resource_type = "instance"
    tags = {
      Name = "ecs-host"
      Team = "web"
    }
  }
}

resource "aws_autoscaling_group" "hosts" {
  vpc_zone_identifier = [aws_subnet.a.id]
  min_size            = 1
  max_size            = 1
  launch_template {
    id      = aws_launch_template.hosts.id
    version = "$Latest"
  }
}

output "cloudfront_entries" {
  value = length(data.aws_ec2_managed_prefix_list.cloudfront.entries)
}

output "s3_list" {
  value = data.aws_prefix_list.s3.id
}
