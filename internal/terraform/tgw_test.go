package terraform_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// A hub-and-spoke configuration: a transit gateway without default
// association, its route table, two VPC attachments (one keeping the
// default propagation off), associations, a propagation, a static route
// and aws_route entries naming the gateway. Nothing is skipped and ssh
// crosses the gateway; a blackhole route for the shared subnet breaks it.
func TestTransitGatewayConfiguration(t *testing.T) {
	write := func(extra string) string {
		dir := t.TempDir()
		err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
provider "aws" {
  region = "us-east-1"
}
locals {
  vpcs = { app = "10.0.0.0/16", shared = "10.1.0.0/16" }
}
resource "aws_vpc" "v" {
  for_each   = local.vpcs
  cidr_block = each.value
}
resource "aws_subnet" "s" {
  for_each          = local.vpcs
  vpc_id            = aws_vpc.v[each.key].id
  cidr_block        = cidrsubnet(each.value, 8, 1)
  availability_zone = "us-east-1a"
}
resource "aws_security_group" "ssh" {
  for_each = local.vpcs
  vpc_id   = aws_vpc.v[each.key].id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_instance" "host" {
  for_each               = local.vpcs
  ami                    = "ami-0c1f2a3b4d5e6f708"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.s[each.key].id
  vpc_security_group_ids = [aws_security_group.ssh[each.key].id]
  tags                   = { Name = each.key }
}
resource "aws_ec2_transit_gateway" "hub" {
  description                     = "hub"
  default_route_table_association = "disable"
}
resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "a" {
  for_each                                        = local.vpcs
  transit_gateway_id                              = aws_ec2_transit_gateway.hub.id
  vpc_id                                          = aws_vpc.v[each.key].id
  subnet_ids                                      = [aws_subnet.s[each.key].id]
  transit_gateway_default_route_table_propagation = false
}
resource "aws_ec2_transit_gateway_route_table_association" "a" {
  for_each                       = local.vpcs
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.a[each.key].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_ec2_transit_gateway_route_table_propagation" "app" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.a["app"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_ec2_transit_gateway_route" "shared" {
  destination_cidr_block         = "10.1.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.a["shared"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_route" "to_other" {
  for_each               = local.vpcs
  route_table_id         = aws_vpc.v[each.key].main_route_table_id
  destination_cidr_block = "10.0.0.0/8"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
  depends_on             = [aws_ec2_transit_gateway_vpc_attachment.a]
}
`+extra), 0o644)
		if err != nil {
			t.Fatal(err)
		}
		return dir
	}
	res, err := terraform.Load(write(""), terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Skipped {
		t.Errorf("skipped %s: %s", s.Address, s.Reason)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.TransitGateways) != 1 || len(st.TransitGatewayAttachments) != 2 || len(st.TransitGatewayRouteTables) != 2 {
		t.Fatalf("%d gateways, %d attachments, %d route tables", len(st.TransitGateways), len(st.TransitGatewayAttachments), len(st.TransitGatewayRouteTables))
	}
	for _, rt := range st.TransitGatewayRouteTables {
		if rt.DefaultPropagation && len(rt.Propagations) != 0 {
			t.Errorf("the default route table still has propagations %v", rt.Propagations)
		}
	}
	probe := func(st *model.State, from, to string) *reach.Result {
		n := reach.Compile(st)
		q, err := reach.NewQuery(n, from, to, "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return reach.Probe(n, q)
	}
	for _, p := range [][2]string{{"app", "shared:22"}, {"shared", "app:22"}} {
		if r := probe(st, p[0], p[1]); r.Verdict != reach.Connected {
			t.Errorf("%s → %s: %s", p[0], p[1], r.Summary)
		}
	}
	res, err = terraform.Load(write(`
resource "aws_ec2_transit_gateway_route" "drop" {
  destination_cidr_block         = "10.1.1.0/24"
  blackhole                      = true
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
`), terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, _ = res.Engine.Snapshot()
	r := probe(st, "app", "shared:22")
	found := false
	for _, e := range r.Explanations {
		found = found || (e.Blocking && e.Code == reach.CodeTGWRTBBadStateRoute)
	}
	if r.Verdict != reach.NoRoute || !found {
		t.Errorf("with a blackhole: %s %s", r.Verdict, r.Summary)
	}
}
