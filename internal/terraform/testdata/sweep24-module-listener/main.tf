provider "aws" {
  region = "us-east-1"
}

data "aws_availability_zones" "azs" {}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  count                   = 2
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone       = data.aws_availability_zones.azs.names[count.index]
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_ecs_cluster" "main" {
  name = "main"
}

module "alb" {
  source     = "./modules/alb"
  vpc_id     = aws_vpc.main.id
  subnet_ids = aws_subnet.public[*].id
}

# As MayurNaikwade/ProjectP calls its ecs module: the target group's ARN
# from module.alb's output, which refers to the target group only.
module "racing" {
  source           = "./modules/service"
  name             = "racing"
  cluster_id       = aws_ecs_cluster.main.id
  subnet_ids       = aws_subnet.public[*].id
  vpc_id           = aws_vpc.main.id
  target_group_arn = module.alb.blue_arn
}

module "waiting" {
  source           = "./modules/service"
  name             = "waiting"
  cluster_id       = aws_ecs_cluster.main.id
  subnet_ids       = aws_subnet.public[*].id
  vpc_id           = aws_vpc.main.id
  target_group_arn = module.alb.green_arn
  depends_on       = [module.alb]
}

# The output names the listener's action: it waits for the listener.
module "through_listener" {
  source           = "./modules/service"
  name             = "through"
  cluster_id       = aws_ecs_cluster.main.id
  subnet_ids       = aws_subnet.public[*].id
  vpc_id           = aws_vpc.main.id
  target_group_arn = module.alb.forwarded_arn
}
