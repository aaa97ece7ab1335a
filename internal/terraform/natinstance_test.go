package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// A NAT instance as Terraform configurations build one (fck-nat style):
// aws_instance with source_dest_check = false in the public subnet, and
// the private route table's 0.0.0.0/0 to its primary network interface.
// With the check left on, the instance drops what it should forward.
func TestNATInstanceConfiguration(t *testing.T) {
	dir := t.TempDir()
	err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
provider "aws" {
  region = "us-east-1"
}
variable "check" {
  type    = bool
  default = false
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.11.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_security_group" "nat" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_instance" "nat" {
  ami                    = "ami-0c1f2a3b4d5e6f708"
  instance_type          = "t4g.nano"
  subnet_id              = aws_subnet.public.id
  vpc_security_group_ids = [aws_security_group.nat.id]
  source_dest_check      = var.check
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_instance.nat.primary_network_interface_id
  }
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_instance" "worker" {
  ami                    = "ami-0c1f2a3b4d5e6f708"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.nat.id]
  tags = { Name = "worker" }
}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if r := probe(t, load(t, dir, nil).Engine, "worker", "8.8.8.8:443"); r.Verdict != reach.Connected {
		t.Errorf("source_dest_check = false: %s: %s", r.Verdict, r.Summary)
	}
	r := probe(t, load(t, dir, map[string]string{"check": "true"}).Engine, "worker", "8.8.8.8:443")
	if r.Verdict != reach.Timeout || !r.HasCode(reach.CodeENISourceDestCheck) || !strings.Contains(r.Summary, "source/destination checking is on") {
		t.Errorf("source_dest_check = true: %s: %s", r.Verdict, r.Summary)
	}
}
