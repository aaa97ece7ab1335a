[
  {
    "name": "app",
    "image": "public.ecr.aws/docker/library/httpd:2.4",
    "essential": true,
    "portMappings": [{ "containerPort": ${port}, "hostPort": ${port} }],
    "logConfiguration": {
      "logDriver": "awslogs",
      "options": { "awslogs-group": "/ecs/app", "awslogs-region": "${region}", "awslogs-stream-prefix": "app" }
    }
  }
]
