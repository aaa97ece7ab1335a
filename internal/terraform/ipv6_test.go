package terraform_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// A dual-stack configuration as terraform-aws-modules/vpc's ipv6 example
// writes it: assign_generated_ipv6_cidr_block, cidrsubnet over the VPC's
// ipv6_cidr_block, an egress-only gateway, ::/0 routes (inline and
// aws_route), ipv6_cidr_blocks and cidr_ipv6 rules, an IPv6 network ACL
// entry, ipv6_address_count on an instance.
func TestDualStackConfiguration(t *testing.T) {
	dir := t.TempDir()
	err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "public" {
  vpc_id                          = aws_vpc.main.id
  cidr_block                      = "10.0.1.0/24"
  availability_zone               = "us-east-1a"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation = true
}
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.11.0/24"
  availability_zone = "us-east-1a"
  ipv6_cidr_block   = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 11)
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}
resource "aws_route" "private_v6" {
  route_table_id              = aws_route_table.private.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.eigw.id
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_security_group" "web" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port        = 22
    to_port          = 22
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    ipv6_cidr_blocks = ["::/0"]
  }
}
resource "aws_vpc_security_group_ingress_rule" "web_http" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv6         = "::/0"
}
resource "aws_network_acl_rule" "deny_v6_http" {
  network_acl_id  = aws_vpc.main.default_network_acl_id
  rule_number     = 50
  egress          = false
  protocol        = "tcp"
  rule_action     = "deny"
  ipv6_cidr_block = "::/0"
  from_port       = 80
  to_port         = 80
}
resource "aws_instance" "web" {
  ami                    = "ami-0c1f2a3b4d5e6f708"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public.id
  vpc_security_group_ids = [aws_security_group.web.id]
  tags = { Name = "web" }
}
resource "aws_instance" "worker" {
  ami                    = "ami-0c1f2a3b4d5e6f708"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  ipv6_address_count     = 2
  vpc_security_group_ids = [aws_security_group.web.id]
  tags = { Name = "worker" }
}
output "vpc_ipv6" {
  value = aws_vpc.main.ipv6_cidr_block
}
output "public_ipv6" {
  value = aws_subnet.public.ipv6_cidr_block
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
	if len(st.EgressOnlyIGWs) != 1 {
		t.Errorf("%d egress-only gateways", len(st.EgressOnlyIGWs))
	}
	var vpc *model.VPC
	for _, v := range st.VPCs {
		vpc = v
	}
	if len(vpc.IPv6) != 1 || res.Outputs["vpc_ipv6"] != vpc.IPv6[0].CIDR.String() {
		t.Fatalf("vpc_ipv6 = %q, VPC blocks %+v", res.Outputs["vpc_ipv6"], vpc.IPv6)
	}
	b := vpc.IPv6[0].CIDR.Addr().As16()
	b[7] = 1
	if want := netip.PrefixFrom(netip.AddrFrom16(b), 64).String(); res.Outputs["public_ipv6"] != want {
		t.Errorf("public_ipv6 = %q, want %s", res.Outputs["public_ipv6"], want)
	}
	for _, i := range st.Instances {
		n := st.NetworkInterfaces[i.PrimaryENI]
		want := 1
		if i.Tags.Name() == "worker" {
			want = 2
		}
		if len(n.IPv6) != want {
			t.Errorf("instance %s has %d IPv6 addresses, want %d", i.Tags.Name(), len(n.IPv6), want)
		}
	}
	n := reach.Compile(st)
	for _, c := range []struct {
		to   string
		want reach.Verdict
		code string
	}{{"web:22", reach.Connected, ""}, {"web:80", reach.Timeout, reach.CodeSubnetACLRestriction}, {"worker:22", reach.Timeout, reach.CodeEgressOnlyInbound}} {
		q, err := reach.NewQuery(n, "internet", c.to, "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.IPv6 = true
		if r := reach.Probe(n, q); r.Verdict != c.want || c.code != "" && !r.HasCode(c.code) {
			t.Errorf("internet → %s over IPv6: %s, want %s (%s): %s", c.to, r.Verdict, c.want, c.code, r.Summary)
		}
	}
	q, err := reach.NewQuery(n, "worker", "internet:443", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	q.IPv6 = true
	if r := reach.Probe(n, q); r.Verdict != reach.Connected {
		t.Errorf("worker → the IPv6 internet: %s", r.Summary)
	}
}
