package terraform_test

import (
	"os"
	"path/filepath"
	"testing"
)

// aws_network_interface_permission grants an account a permission on an
// interface; permission_id is its id.
func TestNetworkInterfacePermissionResource(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_network_interface" "a" { subnet_id = aws_subnet.a.id }
resource "aws_network_interface_permission" "a" {
  network_interface_id = aws_network_interface.a.id
  aws_account_id       = "111122223333"
  permission           = "INSTANCE-ATTACH"
}
output "pid" { value = aws_network_interface_permission.a.permission_id }
`), 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	n := 0
	for _, eni := range st.NetworkInterfaces {
		for _, p := range eni.Permissions {
			n++
			if p.AccountID != "111122223333" || p.Permission != "INSTANCE-ATTACH" || p.State != "granted" || len(p.ID) < len("eni-perm-x") {
				t.Errorf("permission %+v", p)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d permissions, want 1", n)
	}
}
