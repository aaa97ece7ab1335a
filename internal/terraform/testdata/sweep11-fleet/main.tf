# ECS container instances launched by a Spot Fleet (launch specifications,
# one per subnet, the pattern of older ECS-on-Spot configurations) and by an
# EC2 Fleet (a launch template with overrides): the instances join the
# cluster through their user data, in the fleets' subnets and groups.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "public" {
  count                   = 2
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone       = element(["us-east-1a", "us-east-1b"], count.index)
  map_public_ip_on_launch = true
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}
resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}
resource "aws_security_group" "hosts" {
  name   = "hosts"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_ecs_cluster" "spot" {
  name = "spot"
}
resource "aws_iam_instance_profile" "ecs" {
  name = "ecs-instance"
}
resource "aws_spot_fleet_request" "ecs" {
  iam_fleet_role      = "arn:aws:iam::123456789012:role/spot-fleet"
  spot_price          = "0.05"
  target_capacity     = 2
  allocation_strategy = "diversified"

  dynamic "launch_specification" {
    for_each = aws_subnet.public
    content {
      ami                    = "ami-0c1f2a3b4d5e6f708"
      instance_type          = "m5.large"
      subnet_id              = launch_specification.value.id
      vpc_security_group_ids = [aws_security_group.hosts.id]
      iam_instance_profile   = aws_iam_instance_profile.ecs.name
      user_data              = "#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.spot.name} >> /etc/ecs/ecs.config\n"
      tags = {
        Name = "spot-ecs"
      }
    }
  }
}
resource "aws_launch_template" "ecs" {
  name                   = "fleet-ecs"
  image_id               = "ami-0c1f2a3b4d5e6f708"
  vpc_security_group_ids = [aws_security_group.hosts.id]
  iam_instance_profile {
    name = aws_iam_instance_profile.ecs.name
  }
  user_data = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.spot.name} >> /etc/ecs/ecs.config\n")
}
resource "aws_ec2_fleet" "ecs" {
  type = "maintain"
  launch_template_config {
    launch_template_specification {
      launch_template_id = aws_launch_template.ecs.id
      version            = aws_launch_template.ecs.latest_version
    }
    override {
      instance_type = "c5.large"
      subnet_id     = aws_subnet.public[1].id
    }
  }
  target_capacity_specification {
    default_target_capacity_type = "on-demand"
    total_target_capacity        = 1
  }
}
resource "aws_ecs_task_definition" "web" {
  family       = "web"
  network_mode = "bridge"
  container_definitions = jsonencode([{
    name         = "web"
    image        = "nginx"
    memory       = 256
    portMappings = [{ containerPort = 80, hostPort = 8080 }]
  }])
}
resource "aws_ecs_service" "web" {
  name            = "web"
  cluster         = aws_ecs_cluster.spot.id
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 3
  depends_on      = [aws_spot_fleet_request.ecs, aws_ec2_fleet.ecs]
}
