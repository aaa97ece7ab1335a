package cli

import (
	"strings"
	"testing"
)

// An IPv6-only subnet has no IPv4 block: show names its IPv6 block only.
func TestShowIPv6OnlySubnet(t *testing.T) {
	code, out, errOut := run(t, "show", "examples/failures/analyzer-only/ipv6-only-subnet-no-dns64.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "invalid Prefix") || !strings.Contains(out, "subnet app-a subnet-") {
		t.Errorf("show:\n%s", out)
	}
}
