package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestExpressGatewayService: an aws_ecs_express_gateway_service (its roles
// from aws_iam_role, two public subnets of the configuration's VPC) is an
// ECS Express Mode service: a Fargate service behind an internet-facing
// ALB whose host-header rule names the endpoint, which the analyzer
// resolves, so the internet reaches a task by it; an output reads the
// endpoint from ingress_paths. An infrastructure role trusting another
// principal fails the resource with ECS's error.
func TestExpressGatewayService(t *testing.T) {
	const cfg = `
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_internet_gateway" "gw" { vpc_id = aws_vpc.main.id }
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table_association" "b" {
  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.public.id
}
resource "aws_ecs_cluster" "main" { name = "apps" }
resource "aws_iam_role" "exec" {
  name = "exec"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}
resource "aws_iam_role" "infra" {
  name = "infra"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "PRINCIPAL" } }] })
}
resource "aws_ecs_express_gateway_service" "app" {
  service_name            = "shop"
  cluster                 = aws_ecs_cluster.main.name
  execution_role_arn      = aws_iam_role.exec.arn
  infrastructure_role_arn = aws_iam_role.infra.arn
  health_check_path       = "/health"
  primary_container {
    image          = "shop:1"
    container_port = 8080
    environment {
      name  = "PORT"
      value = "8080"
    }
  }
  network_configuration {
    subnets = [aws_subnet.a.id, aws_subnet.b.id]
  }
  scaling_target {
    min_task_count = 1
    max_task_count = 3
  }
  depends_on = [aws_route_table_association.a, aws_route_table_association.b]
}
output "url" { value = aws_ecs_express_gateway_service.app.ingress_paths[0].endpoint }
`
	write := func(principal string) string {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.Replace(cfg, "PRINCIPAL", principal, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	res := load(t, write("ecs.amazonaws.com"), nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "express") || strings.Contains(w.Msg, "primary_container") {
			t.Errorf("warning: %+v", w) // an argument ecsnet did not read
		}
	}
	url := res.Outputs["url"]
	if !strings.HasPrefix(url, "https://sh-") || !strings.HasSuffix(url, ".ecs.us-east-1.on.aws") {
		t.Fatalf("output url %q", url)
	}
	var running int
	var scheme string
	res.Engine.Read(func(st *model.State) {
		for _, tk := range st.Tasks {
			if tk.LastStatus == model.TaskRunning {
				running++
			}
		}
		for _, lb := range st.LoadBalancers {
			scheme = lb.Scheme
		}
	})
	if running != 1 || scheme != "internet-facing" {
		t.Fatalf("%d tasks running, load balancer %q", running, scheme)
	}
	if r := probe(t, res.Engine, "internet", strings.TrimPrefix(url, "https://")+":443"); !r.Reachable || len(r.Targets) != 1 || r.HTTPStatus == 404 {
		t.Errorf("internet -> %s: %s", url, r.Summary)
	}
	if _, err := terraform.Load(write("ec2.amazonaws.com"), terraform.Options{}); err == nil || !strings.Contains(err.Error(), "ECS was unable to assume the configured ECS Infrastructure Role") {
		t.Errorf("an infrastructure role trusting ec2.amazonaws.com: %v", err)
	}
}
