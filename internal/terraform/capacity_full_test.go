package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServiceWaitsOnFullGroup: a service whose tasks wait for a capacity
// provider with managed scaling whose Auto Scaling group is at its
// maximum size (max_size 0) is warned about with the reason: managed
// scaling cannot grow the group, so the tasks stay PROVISIONING until ECS
// stops them. Before, the warning said only that no task ran.
func TestServiceWaitsOnFullGroup(t *testing.T) {
	dir := t.TempDir()
	err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "v" {
  cidr_block = "10.8.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.8.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_ecs_cluster" "c" {
  name = "full"
}

resource "aws_launch_template" "lt" {
  name_prefix   = "node-"
  image_id      = "ami-0c1f2a3b4d5e6f708"
  instance_type = "t3.small"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=full >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "g" {
  name                = "nodes"
  min_size            = 0
  max_size            = 0
  vpc_zone_identifier = [aws_subnet.a.id]
  launch_template {
    id      = aws_launch_template.lt.id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "cp" {
  name = "nodes"
  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.g.arn
    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "c" {
  cluster_name       = aws_ecs_cluster.c.name
  capacity_providers = [aws_ecs_capacity_provider.cp.name]
}

resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([{
    name   = "app"
    image  = "nginx"
    memory = 128
  }])
}

resource "aws_ecs_service" "s" {
  name            = "s"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 2
  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.cp.name
    weight            = 1
  }
  depends_on = [aws_ecs_cluster_capacity_providers.c]
}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, nil)
	const want = "the Auto Scaling group nodes of capacity provider nodes is at its maximum size (0) and none of its instances can take the tasks"
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "aws_ecs_service.s: 0 of 2 tasks running") && strings.Contains(w.Msg, want) {
			return
		}
	}
	t.Errorf("no warning names the full group: %v", res.Warnings)
}
