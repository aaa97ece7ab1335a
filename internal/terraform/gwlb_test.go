package terraform_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// aws_lb of type gateway, a GENEVE aws_lb_target_group, an aws_lb_listener
// without port or protocol, aws_vpc_endpoint_service on the GWLB, an
// aws_vpc_endpoint of type GatewayLoadBalancer and an aws_route to it are
// all created, not skipped.
func TestGatewayLoadBalancerResources(t *testing.T) {
	dir := t.TempDir()
	err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "appliances" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.3.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "endpoint" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_lb" "gwlb" {
  name                             = "inspection"
  load_balancer_type               = "gateway"
  subnets                          = [aws_subnet.appliances.id]
  enable_cross_zone_load_balancing = true
}
resource "aws_lb_target_group" "fw" {
  name        = "fw"
  port        = 6081
  protocol    = "GENEVE"
  vpc_id      = aws_vpc.main.id
  target_type = "ip"
  health_check {
    port     = 80
    protocol = "HTTP"
    path     = "/healthz"
  }
}
resource "aws_lb_target_group_attachment" "fw" {
  target_group_arn = aws_lb_target_group.fw.arn
  target_id        = "10.0.3.10"
}
resource "aws_lb_listener" "gwlb" {
  load_balancer_arn = aws_lb.gwlb.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.fw.arn
  }
}
resource "aws_vpc_endpoint_service" "inspection" {
  acceptance_required        = false
  gateway_load_balancer_arns = [aws_lb.gwlb.arn]
}
resource "aws_vpc_endpoint" "inspection" {
  vpc_id            = aws_vpc.main.id
  service_name      = aws_vpc_endpoint_service.inspection.service_name
  vpc_endpoint_type = aws_vpc_endpoint_service.inspection.service_type
  subnet_ids        = [aws_subnet.endpoint.id]
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.main.id
}
resource "aws_route" "inspect" {
  route_table_id         = aws_route_table.app.id
  destination_cidr_block = "0.0.0.0/0"
  vpc_endpoint_id        = aws_vpc_endpoint.inspection.id
}
output "lb" {
  value = aws_lb.gwlb.arn
}
output "endpoint" {
  value = aws_vpc_endpoint.inspection.id
}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Skipped {
		t.Errorf("skipped %s: %s", s.Address, s.Reason)
	}
	st, _ := res.Engine.Snapshot()
	lb := st.LoadBalancers[res.Outputs["lb"]]
	if lb == nil || lb.Type != "gateway" || !lb.CrossZone || lb.DNSName != "" {
		t.Fatalf("GWLB %+v", lb)
	}
	for _, tg := range st.TargetGroups {
		if tg.Protocol != "GENEVE" || tg.Port != 6081 || tg.HealthCheck.Protocol != "HTTP" || tg.HealthCheck.Path != "/healthz" || tg.Targets.Len() != 1 {
			t.Errorf("target group %+v", tg)
		}
	}
	ep := st.VpcEndpoints[model.VpcEndpointID(res.Outputs["endpoint"])]
	if ep == nil || ep.Type != "GatewayLoadBalancer" || ep.State != "available" {
		t.Fatalf("endpoint %+v", ep)
	}
	found := false
	for _, rt := range st.RouteTables {
		for _, r := range rt.Routes {
			found = found || r.Target == model.TargetVpcEndpoint && r.TargetID == string(ep.ID)
		}
	}
	if !found {
		t.Error("no route to the endpoint")
	}
}
