package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// aws_vpc_block_public_access_options sets the mode,
// aws_vpc_block_public_access_exclusion exempts a subnet; its
// resource_arn names the subnet.
func TestBlockPublicAccessResources(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_vpc_block_public_access_options" "this" {
  internet_gateway_block_mode = "block-ingress"
}
resource "aws_vpc_block_public_access_exclusion" "a" {
  subnet_id                       = aws_subnet.a.id
  internet_gateway_exclusion_mode = "allow-bidirectional"
}
output "arn" { value = aws_vpc_block_public_access_exclusion.a.resource_arn }
`), 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	if st.BPAMode() != model.BPAIngress || len(st.BPAExclusions) != 1 {
		t.Fatalf("mode %s, %d exclusions", st.BPAMode(), len(st.BPAExclusions))
	}
	for _, x := range st.BPAExclusions {
		if x.State != "create-complete" || x.Mode != model.BPAAllowBidirectional || !strings.HasSuffix(x.ResourceARN, ":subnet/"+string(x.SubnetID)) {
			t.Errorf("exclusion %+v", x)
		}
	}
}
