# A container instance whose user data is a cloud-init multipart message
# (data "cloudinit_config", gzip and base64 by default; the template
# provider's template_cloudinit_config alike) that sets ECS_CLUSTER and a
# custom attribute with ECS_INSTANCE_ATTRIBUTES, and a task definition
# placed with memberOf on it (after jazztong/mongo-ecs-ha-tf).
provider "aws" {
  region = "ap-southeast-1"
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "s" {
  vpc_id                  = aws_vpc.v.id
  cidr_block              = "10.0.1.0/24"
  availability_zone       = "ap-southeast-1a"
  map_public_ip_on_launch = true
}
resource "aws_route_table" "r" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.s.id
  route_table_id = aws_route_table.r.id
}
resource "aws_security_group" "g" {
  vpc_id = aws_vpc.v.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
data "cloudinit_config" "ud" {
  part {
    filename     = "init.sh"
    content_type = "text/x-shellscript"
    content      = <<-EOT
      #!/bin/bash
      echo ECS_CLUSTER=mongo >> /etc/ecs/ecs.config
      echo 'ECS_INSTANCE_ATTRIBUTES={"mongo":"primary"}' >> /etc/ecs/ecs.config
    EOT
  }
}
data "template_cloudinit_config" "plain" {
  gzip          = false
  base64_encode = false
  part {
    content = "#!/bin/bash\necho hello\n"
  }
}
resource "aws_iam_instance_profile" "p" {
  name = "ecs"
}
resource "aws_instance" "host" {
  ami                    = "ami-0c1f2a3b4d5e6f708"
  instance_type          = "t3.medium"
  subnet_id              = aws_subnet.s.id
  vpc_security_group_ids = [aws_security_group.g.id]
  iam_instance_profile   = aws_iam_instance_profile.p.name
  user_data_base64       = data.cloudinit_config.ud.rendered
}
resource "aws_ecs_cluster" "c" {
  name = "mongo"
}
resource "aws_ecs_task_definition" "t" {
  family                = "mongo"
  container_definitions = jsonencode([{ name = "mongo", image = "mongo", memory = 256, portMappings = [{ containerPort = 27017 }] }])
  placement_constraints {
    type       = "memberOf"
    expression = "attribute:mongo == primary"
  }
}
resource "aws_ecs_service" "s" {
  name            = "mongo"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 1
  depends_on      = [aws_instance.host]
}
output "plain" { value = data.template_cloudinit_config.plain.rendered }
