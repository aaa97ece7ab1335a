package server_test

import "testing"

// TestTerraformNetworkFirewall applies AWS Network Firewall through the
// real AWS provider: a stateful 5-tuple rule group and a domain list, a
// firewall policy, a firewall in two subnets and routes to its endpoints
// by zone (firewall_status's sync_states); apply, a second plan without
// changes, destroy.
func TestTerraformNetworkFirewall(t *testing.T) {
	terraformApply(t, "testdata/terraform/networkfirewall38", "us-east-1", "")
}
