package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestServiceConnectConfiguration: aws_ecs_service's
// service_connect_configuration reaches the service (the server's
// endpoint, a Cloud Map service of the namespace), and so does the ECS
// service module stand-in's (v5's one service object); the analyzer then
// resolves the endpoint from the client module's task, not from a
// service without Service Connect; a client takes the cluster's
// service_connect_defaults.
func TestServiceConnectConfiguration(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_security_group" "s" {
  vpc_id = aws_vpc.v.id
  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_service_discovery_http_namespace" "shop" {
  name = "shop"
}
resource "aws_ecs_cluster" "c" {
  name = "c"
  service_connect_defaults {
    namespace = aws_service_discovery_http_namespace.shop.arn
  }
}
resource "aws_ecs_service" "billing" {
  name            = "billing"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.a.id]
    security_groups = [aws_security_group.s.id]
  }
  service_connect_configuration {
    enabled = true
  }
}
resource "aws_ecs_task_definition" "t" {
  family                   = "t"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions    = jsonencode([{ name = "a", image = "x", portMappings = [{ name = "http", containerPort = 8080 }] }])
}
resource "aws_ecs_service" "ledger" {
  name            = "ledger"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.a.id]
    security_groups = [aws_security_group.s.id]
  }
  service_connect_configuration {
    enabled   = true
    namespace = aws_service_discovery_http_namespace.shop.arn
    service {
      port_name      = "http"
      discovery_name = "ledger"
      client_alias {
        port     = 80
        dns_name = "ledger.shop"
      }
    }
  }
}
resource "aws_ecs_service" "orders" {
  name            = "orders"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.a.id]
    security_groups = [aws_security_group.s.id]
  }
}
module "checkout" {
  source      = "terraform-aws-modules/ecs/aws//modules/service"
  version     = "~> 5.0"
  name        = "checkout"
  cluster_arn = aws_ecs_cluster.c.arn
  cpu         = 256
  memory      = 512
  container_definitions = {
    app = {
      image = "x"
      # v5 spells the key in snake_case (its container-definition
      # submodule's variable); camelCase is v6's.
      port_mappings = [{ name = "app", containerPort = 9090, protocol = "tcp" }]
    }
  }
  subnet_ids = [aws_subnet.a.id]
  security_group_rules = {
    egress_all = { type = "egress", from_port = 0, to_port = 0, protocol = "-1", cidr_blocks = ["0.0.0.0/0"] }
  }
  service_connect_configuration = {
    namespace = aws_service_discovery_http_namespace.shop.arn
    service = {
      port_name      = "app"
      client_alias   = { port = 9090 }
    }
  }
}
`), 0o644)
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	var ledgerOK, checkoutOK bool
	for _, s := range st.Services {
		cfg := s.ServiceConnectConfig
		switch s.Name {
		case "ledger":
			ledgerOK = s.ServiceConnect && cfg != nil && len(cfg.Services) == 1 && cfg.Services[0].DiscoveryARN != "" &&
				len(cfg.Services[0].ClientAliases) == 1 && cfg.Services[0].ClientAliases[0].Port == 80
		case "checkout":
			checkoutOK = s.ServiceConnect && cfg != nil && len(cfg.Services) == 1 && cfg.Services[0].DiscoveryName == "app"
		}
	}
	if !ledgerOK || !checkoutOK {
		t.Fatalf("Service Connect configurations not read (ledger %v, checkout %v)", ledgerOK, checkoutOK)
	}
	n := reach.Compile(st)
	probe := func(from string) *reach.Result {
		q, err := reach.NewQuery(n, from, "ledger.shop:80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return reach.Probe(n, q)
	}
	if r := probe("billing"); r.Verdict != reach.Connected {
		t.Errorf("billing (the cluster's default namespace) → ledger.shop:80 = %s: %s", r.Verdict, r.Summary)
	}
	if r := probe("checkout"); r.Verdict != reach.Connected || r.Port != 8080 {
		t.Errorf("checkout → ledger.shop:80 = %s on %d: %s", r.Verdict, r.Port, r.Summary)
	}
	if r := probe("orders"); r.Verdict != reach.NXDomain || !strings.Contains(r.Summary, "no Service Connect configuration") {
		t.Errorf("orders → ledger.shop:80 = %s: %s", r.Verdict, r.Summary)
	}
}
