package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestEmptyPrefixListID: a security group rule naming the empty prefix
// list id is sent to EC2 as it is (the provider does not drop it), and EC2
// refuses it as malformed; ecsnet fails the configuration at the rule's
// file and line instead of dropping the source.
func TestEmptyPrefixListID(t *testing.T) {
	const head = `
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_security_group" "g" {
  vpc_id = aws_vpc.v.id
`
	cases := map[string]string{
		"inline ingress": head + `  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [""]
  }
}
`,
		"aws_security_group_rule": head + `}
resource "aws_security_group_rule" "r" {
  security_group_id = aws_security_group.g.id
  type              = "egress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
  prefix_list_ids   = [""]
}
`,
		"aws_vpc_security_group_ingress_rule": head + `}
resource "aws_vpc_security_group_ingress_rule" "r" {
  security_group_id = aws_security_group.g.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = ""
}
`,
	}
	// The line of the prefix list argument (the ingress block for the
	// inline rule).
	lines := map[string]string{"inline ingress": "main.tf:7:", "aws_security_group_rule": "main.tf:15:", "aws_vpc_security_group_ingress_rule": "main.tf:13:"}
	for name, text := range cases {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte(text), 0o644)
		_, err := terraform.Load(dir, terraform.Options{})
		if err == nil || !strings.Contains(err.Error(), `InvalidPrefixListId.Malformed: Invalid id: "" (expecting "pl-...")`) || !strings.Contains(err.Error(), lines[name]) {
			t.Errorf("%s: err = %v, want InvalidPrefixListId.Malformed at %s", name, err, lines[name])
		}
	}
	// A real id is still unknown, not malformed.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.Replace(cases["inline ingress"], `[""]`, `["pl-0123456789abcdef0"]`, 1)), 0o644)
	if _, err := terraform.Load(dir, terraform.Options{}); err == nil || !strings.Contains(err.Error(), "InvalidPrefixListID.NotFound") {
		t.Errorf("pl-0123456789abcdef0: err = %v, want InvalidPrefixListID.NotFound", err)
	}
}
