# A Fargate task definition whose container reaches a database by the
# address, port and name of an aws_db_instance the configuration makes
# (the port not given: the engine's default).
provider "aws" {
  region = "us-east-1"
}

resource "aws_db_instance" "db" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  db_name             = "postgres"
  username            = "app"
  password            = "change-me-please"
  skip_final_snapshot = true
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512

  container_definitions = <<DEFINITION
[
  {
    "name": "app",
    "image": "public.ecr.aws/nginx/nginx:latest",
    "portMappings": [{ "containerPort": 8080 }],
    "environment": [
      {
        "name": "SQLALCHEMY_DATABASE_URI",
        "value": "postgresql://app:secret@${aws_db_instance.db.address}:${aws_db_instance.db.port}/${aws_db_instance.db.db_name}"
      }
    ]
  }
]
DEFINITION
}
