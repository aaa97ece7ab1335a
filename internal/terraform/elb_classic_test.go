package terraform_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// An aws_elb becomes a Classic Load Balancer with its listeners, health
// check, attributes (the provider's cross-zone default), instances and a
// network interface in each subnet; a health check the API refuses fails
// at its line.
func TestClassicELB(t *testing.T) {
	const src = `
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "g" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_security_group" "lb" {
  vpc_id = aws_vpc.v.id
}
resource "aws_instance" "web" {
  ami           = "ami-12c6146b"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.a.id
}
resource "aws_elb" "web" {
  name            = "web"
  subnets         = [aws_subnet.a.id, aws_subnet.b.id]
  security_groups = [aws_security_group.lb.id]
  instances       = [aws_instance.web.id]
  listener {
    instance_port     = 8080
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
  health_check {
    healthy_threshold   = 2
    unhealthy_threshold = 2
    timeout             = 3
    target              = "HTTP:8080/"
    interval            = 30
  }
  connection_draining = true
}
output "dns" {
  value = aws_elb.web.dns_name
}
`
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	lb := st.ClassicLoadBalancers["web"]
	if lb == nil {
		t.Fatalf("no Classic load balancer web; skipped: %v", res.Skipped)
	}
	if res.Outputs["dns"] != lb.DNSName || !strings.HasPrefix(lb.DNSName, "web-") {
		t.Errorf("output dns = %q, DNS name %q", res.Outputs["dns"], lb.DNSName)
	}
	if len(lb.Listeners) != 1 || lb.Listeners[0] != (model.ClassicListener{Protocol: "HTTP", LoadBalancerPort: 80, InstanceProtocol: "HTTP", InstancePort: 8080}) {
		t.Errorf("listeners = %+v", lb.Listeners)
	}
	if lb.HealthCheck != (model.ClassicHealthCheck{Target: "HTTP:8080/", Interval: 30, Timeout: 3, UnhealthyThreshold: 2, HealthyThreshold: 2}) {
		t.Errorf("health check = %+v", lb.HealthCheck)
	}
	if lb.Attributes["CrossZoneLoadBalancing.Enabled"] != "true" || lb.Attributes["ConnectionDraining.Enabled"] != "true" {
		t.Errorf("attributes = %v", lb.Attributes)
	}
	if len(lb.Instances) != 1 || len(lb.Nodes) != 2 {
		t.Errorf("instances %v, nodes %v", lb.Instances, lb.Nodes)
	}
	for _, n := range lb.Nodes {
		if eni := st.NetworkInterfaces[n.ENI]; eni == nil || eni.Description != "ELB web" || !slices.Equal(eni.SecurityGroups, lb.SecurityGroups) {
			t.Errorf("node %+v: %+v", n, eni)
		}
	}

	bad := strings.Replace(src, "timeout             = 3", "timeout             = 40", 1)
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(bad), 0o644)
	if _, err := terraform.Load(dir, terraform.Options{}); err == nil || !strings.Contains(err.Error(), "main.tf:") || !strings.Contains(err.Error(), "Timeout") {
		t.Errorf("a timeout above the interval: err = %v", err)
	}
}
