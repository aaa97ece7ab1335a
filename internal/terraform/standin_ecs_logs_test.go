package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestStandinECSClusterServiceConnectDefaults: the ECS module's cluster
// takes its Service Connect default namespace from the root module's
// cluster_service_connect_defaults (v5 and v6) and from the cluster
// submodule's service_connect_defaults (v6) or
// cluster_service_connect_defaults (v5), as aws_ecs_cluster's
// service_connect_defaults block does.
func TestStandinECSClusterServiceConnectDefaults(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
resource "aws_service_discovery_http_namespace" "shop" {
  name = "shop"
}
module "root" {
  source       = "terraform-aws-modules/ecs/aws"
  version      = "~> 5.0"
  cluster_name = "root"
  cluster_service_connect_defaults = {
    namespace = aws_service_discovery_http_namespace.shop.arn
  }
}
module "v6" {
  source  = "terraform-aws-modules/ecs/aws//modules/cluster"
  version = "~> 6.0"
  name    = "v6"
  service_connect_defaults = {
    namespace = aws_service_discovery_http_namespace.shop.arn
  }
}
module "v5" {
  source       = "terraform-aws-modules/ecs/aws//modules/cluster"
  version      = "~> 5.0"
  cluster_name = "v5"
  cluster_service_connect_defaults = {
    namespace = aws_service_discovery_http_namespace.shop.arn
  }
}
module "plain" {
  source  = "terraform-aws-modules/ecs/aws//modules/cluster"
  version = "~> 6.0"
  name    = "plain"
}
`), 0o644)
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	ns := ""
	for _, n := range st.Namespaces {
		if n.Name == "shop" {
			ns = n.ARN
		}
	}
	if ns == "" {
		t.Fatal("no namespace shop")
	}
	want := map[string]string{"root": ns, "v6": ns, "v5": ns, "plain": ""}
	got := map[string]string{}
	for _, c := range st.Clusters {
		got[c.Name] = c.ServiceConnectNamespace
	}
	for name, w := range want {
		if g, ok := got[name]; !ok || g != w {
			t.Errorf("cluster %s: Service Connect namespace %q (present %v), want %q", name, g, ok, w)
		}
	}
}

// TestStandinECSServiceCloudWatchLogging: the ECS service module's
// containers get the awslogs driver by default (the container-definition
// submodule's enable_cloudwatch_logging = true), writing to the log group
// /aws/ecs/<service>/<container> that the module creates; a container's
// own logConfiguration is merged over it and enable_cloudwatch_logging =
// false leaves it without. So the task-start check sees the CloudWatch
// Logs path: without a logs endpoint (and no NAT) the tasks cannot start.
func TestStandinECSServiceCloudWatchLogging(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
resource "aws_vpc" "v" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.v.id
}
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.private.id
}
resource "aws_security_group" "endpoints" {
  vpc_id = aws_vpc.v.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}
resource "aws_vpc_endpoint" "ecr_api" {
  vpc_id              = aws_vpc.v.id
  service_name        = "com.amazonaws.us-east-1.ecr.api"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.a.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}
resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id              = aws_vpc.v.id
  service_name        = "com.amazonaws.us-east-1.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.a.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.v.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}
resource "aws_ecs_cluster" "c" {
  name = "c"
}
module "web" {
  source      = "terraform-aws-modules/ecs/aws//modules/service"
  version     = "~> 6.0"
  name        = "web"
  cluster_arn = aws_ecs_cluster.c.arn
  cpu         = 256
  memory      = 512
  subnet_ids  = [aws_subnet.a.id]
  security_group_egress_rules = {
    all = { ip_protocol = "-1", cidr_ipv4 = "0.0.0.0/0" }
  }
  container_definitions = {
    app = {
      image        = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"
      portMappings = [{ containerPort = 8080 }]
    }
    sidecar = {
      image            = "123456789012.dkr.ecr.us-east-1.amazonaws.com/sidecar:1"
      logConfiguration = { logDriver = "awslogs", options = { awslogs-group = "/custom/sidecar", awslogs-region = "us-east-1", awslogs-stream-prefix = "side" } }
    }
  }
}
module "quiet" {
  source      = "terraform-aws-modules/ecs/aws//modules/service"
  version     = "~> 5.0"
  name        = "quiet"
  cluster_arn = aws_ecs_cluster.c.arn
  cpu         = 256
  memory      = 512
  subnet_ids  = [aws_subnet.a.id]
  security_group_rules = {
    egress_all = { type = "egress", from_port = 0, to_port = 0, protocol = "-1", cidr_blocks = ["0.0.0.0/0"] }
  }
  container_definitions = {
    app = {
      image                     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"
      enable_cloudwatch_logging = false
    }
  }
}
`), 0o644)
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	containers := map[string]model.ContainerDefinition{}
	for _, td := range st.TaskDefinitions {
		for _, c := range td.Containers {
			containers[td.Family+"/"+c.Name] = c
		}
	}
	type logCfg struct{ driver, group, region, prefix string }
	want := map[string]logCfg{
		"web/app":     {"awslogs", "/aws/ecs/web/app", "us-east-1", "ecs"},
		"web/sidecar": {"awslogs", "/custom/sidecar", "us-east-1", "side"},
		"quiet/app":   {},
	}
	for name, w := range want {
		c, ok := containers[name]
		if !ok {
			t.Errorf("no container %s (have %v)", name, containers)
			continue
		}
		g := logCfg{c.LogDriver(), c.LogOption("awslogs-group"), c.LogOption("awslogs-region"), c.LogOption("awslogs-stream-prefix")}
		if g != w {
			t.Errorf("%s: log configuration %+v, want %+v", name, g, w)
		}
	}
	n := reach.Compile(st)
	for _, s := range st.Services {
		fs := reach.ServiceStartFailures(n, s)
		logs := len(fs) > 0 && fs[0].Code == reach.CodeLogsUnreachable
		switch s.Name {
		case "web":
			if !logs || !strings.Contains(fs[0].Why, "logs") {
				t.Errorf("web: start failures %+v, want %s", fs, reach.CodeLogsUnreachable)
			}
		case "quiet":
			if len(fs) > 0 {
				t.Errorf("quiet (no awslogs): start failures %+v", fs)
			}
		}
	}
}
