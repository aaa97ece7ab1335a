package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// regionalNatConfig is a VPC without public subnets whose private
// subnets (us-east-1a, us-east-1b) route 0.0.0.0/0 to an aws_nat_gateway
// of availability_mode "regional" (hashicorp/aws v6), nat being the
// gateway's other arguments.
func regionalNatConfig(t *testing.T, provider, nat string) string {
	dir := t.TempDir()
	err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "`+provider+`" }
  }
}
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
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
resource "aws_eip" "a" {
  domain = "vpc"
}
resource "aws_nat_gateway" "regional" {
  vpc_id            = aws_vpc.main.id
  availability_mode = "regional"
`+nat+`
  tags = { Name = "regional-nat" }
  depends_on = [aws_internet_gateway.igw, aws_subnet.a, aws_subnet.b]
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.regional.id
  }
}
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.private.id
}
resource "aws_route_table_association" "b" {
  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.private.id
}
resource "aws_security_group" "w" {
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_instance" "a" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.w.id]
  tags                   = { Name = "worker-a" }
}
resource "aws_instance" "b" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.b.id
  vpc_security_group_ids = [aws_security_group.w.id]
  tags                   = { Name = "worker-b" }
}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRegionalNatGatewayConfiguration: aws_nat_gateway's
// availability_mode, vpc_id and availability_zone_address (hashicorp/aws
// v6) make a regional NAT gateway: with the block for us-east-1a only,
// worker-b in us-east-1b is not served; without blocks (automatic mode)
// both zones are. With hashicorp/aws 5.x, which has none of them,
// Terraform refuses the arguments and asks for subnet_id.
func TestRegionalNatGatewayConfiguration(t *testing.T) {
	manual := `  availability_zone_address {
    availability_zone = "us-east-1a"
    allocation_ids    = [aws_eip.a.id]
  }`
	res := load(t, regionalNatConfig(t, ">= 6.0", manual), nil)
	res.Engine.Read(func(st *model.State) {
		n := 0
		for _, ng := range st.NatGateways {
			if ng.Regional() && !ng.AutoProvisionZones && len(ng.ZoneAddresses) == 1 && ng.ZoneAddresses[0].Zone == "us-east-1a" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("NAT gateways %v, want one regional gateway serving us-east-1a", st.NatGateways)
		}
	})
	if r := probe(t, res.Engine, "worker-a", "8.8.8.8:443"); r.Verdict != reach.Connected {
		t.Errorf("worker-a: %s %s", r.Verdict, r.Summary)
	}
	r := probe(t, res.Engine, "worker-b", "8.8.8.8:443")
	if b := r.Blocking(); r.Verdict != reach.Timeout || len(b) == 0 || b[0].Code != reach.CodeRegionalNATZoneNotServed {
		t.Errorf("worker-b: %s %+v, want the zone not served", r.Verdict, b)
	}

	res = load(t, regionalNatConfig(t, ">= 6.0", ""), nil)
	for _, w := range []string{"worker-a", "worker-b"} {
		if r := probe(t, res.Engine, w, "8.8.8.8:443"); r.Verdict != reach.Connected {
			t.Errorf("automatic mode, %s: %s %s", w, r.Verdict, r.Summary)
		}
	}

	_, err := terraform.Load(regionalNatConfig(t, "~> 5.0", manual), terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), `"availability_mode" is not expected here`) || !strings.Contains(err.Error(), `"subnet_id" is required`) {
		t.Errorf("with hashicorp/aws 5.x: %v, want availability_mode refused and subnet_id asked for", err)
	}
}
