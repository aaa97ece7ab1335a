package terraform_test

import (
	"testing"
)

// aws_network_interface keeps all its private_ips (private_ip or the first
// is the primary, the others secondary; they were dropped but the first)
// and private_ips_count's secondary addresses.
func TestNetworkInterfaceSecondaryIPs(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": `
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_network_interface" "listed" {
  subnet_id   = aws_subnet.a.id
  private_ips = ["10.0.1.10", "10.0.1.11", "10.0.1.12"]
}
resource "aws_network_interface" "counted" {
  subnet_id         = aws_subnet.a.id
  private_ip        = "10.0.1.20"
  private_ips_count = 2
}
`})
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	got := map[string][]string{}
	for _, n := range st.NetworkInterfaces {
		var addrs []string
		for _, p := range n.PrivateIPs {
			a := p.Addr.String()
			if p.Primary {
				a += "*"
			}
			addrs = append(addrs, a)
		}
		got[n.PrimaryIP().String()] = addrs
	}
	if l := got["10.0.1.10"]; len(l) != 3 || l[0] != "10.0.1.10*" || l[1] != "10.0.1.11" || l[2] != "10.0.1.12" {
		t.Errorf("listed: %v, want 10.0.1.10 primary with 10.0.1.11 and 10.0.1.12", l)
	}
	if l := got["10.0.1.20"]; len(l) != 3 || l[0] != "10.0.1.20*" {
		t.Errorf("counted: %v, want 10.0.1.20 primary and two secondary addresses", l)
	}
}
