# An older ECS service behind a Classic Load Balancer (aws_elb): a bridge
# service with a static host port (var.host_port), on an Auto Scaling group
# whose instances register with the load balancer. The listener HTTP:80
# forwards to instance port 8080; the health check is HTTP:8080/health.
# With host_port = 0 (a dynamic host port) ECS refuses the service: "A host
# port mapping for the container port 80 is required."

variable "host_port" {
  type    = number
  default = 8080
}

data "aws_availability_zones" "available" {}

resource "aws_vpc" "main" {
  cidr_block           = "10.60.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  count                   = 2
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 1)
  availability_zone       = data.aws_availability_zones.available.names[count.index]
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

resource "aws_security_group" "elb" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 80
    to_port     = 80
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

resource "aws_security_group" "hosts" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.elb.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_elb" "web" {
  name            = "legacy-web"
  subnets         = aws_subnet.public[*].id
  security_groups = [aws_security_group.elb.id]

  listener {
    lb_port           = 80
    lb_protocol       = "http"
    instance_port     = 8080
    instance_protocol = "http"
  }

  health_check {
    target              = "HTTP:8080/health"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }
}

resource "aws_ecs_cluster" "legacy" {
  name = "legacy"
}

# The ECS agent registers the instances with the instance role's
# credentials.
resource "aws_iam_role" "hosts" {
  name_prefix = "ecs-host-"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "hosts" {
  role       = aws_iam_role.hosts.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_instance_profile" "hosts" {
  name_prefix = "ecs-host-"
  role        = aws_iam_role.hosts.name
}

resource "aws_launch_template" "hosts" {
  image_id               = "ami-0123456789abcdef0"
  instance_type          = "m5.large"
  vpc_security_group_ids = [aws_security_group.hosts.id]
  user_data              = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.legacy.name} >> /etc/ecs/ecs.config\n")

  iam_instance_profile {
    arn = aws_iam_instance_profile.hosts.arn
  }
}

resource "aws_autoscaling_group" "hosts" {
  min_size            = 2
  max_size            = 2
  desired_capacity    = 2
  vpc_zone_identifier = aws_subnet.public[*].id
  load_balancers      = [aws_elb.web.name]
  launch_template {
    id      = aws_launch_template.hosts.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  network_mode             = "bridge"
  requires_compatibilities = ["EC2"]
  container_definitions = jsonencode([{
    name         = "web"
    image        = "public.ecr.aws/docker/library/nginx:1.27"
    memory       = 256
    essential    = true
    portMappings = [{ containerPort = 80, hostPort = var.host_port }]
  }])
}

resource "aws_ecs_service" "web" {
  name            = "web"
  cluster         = aws_ecs_cluster.legacy.id
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 2
  launch_type     = "EC2"
  depends_on      = [aws_autoscaling_group.hosts]

  load_balancer {
    elb_name       = aws_elb.web.name
    container_name = "web"
    container_port = 80
  }
}
