package terraform_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Network ACL entries keep their ICMP type and code, in aws_network_acl's
// inline blocks and in aws_network_acl_rule (they were dropped, leaving
// every ICMP type allowed); an ICMP entry without them is -1, -1.
func TestNetworkACLIcmp(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": `
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_network_acl" "acl" {
  vpc_id = aws_vpc.main.id
  ingress {
    rule_no    = 100
    protocol   = "icmp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
    icmp_type  = 8
    icmp_code  = 0
  }
}
resource "aws_network_acl_rule" "unreachable" {
  network_acl_id = aws_network_acl.acl.id
  rule_number    = 110
  protocol       = "icmp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  icmp_type      = 3
  icmp_code      = -1
}
resource "aws_network_acl_rule" "any" {
  network_acl_id = aws_network_acl.acl.id
  rule_number    = 120
  protocol       = "1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}
`})
	st, _ := load(t, dir, nil).Engine.Snapshot()
	got := map[int]model.PortRange{}
	for _, acl := range st.NetworkACLs {
		for _, e := range acl.Entries {
			if e.Protocol == model.ICMP {
				got[e.RuleNumber] = e.Ports
			}
		}
	}
	want := map[int]model.PortRange{100: {First: 8, Last: 0}, 110: {First: 3, Last: engine.ICMPAny}, 120: {First: engine.ICMPAny, Last: engine.ICMPAny}}
	if len(got) != len(want) {
		t.Fatalf("ICMP entries = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("rule %d = %v, want %v", k, got[k], v)
		}
	}
}
