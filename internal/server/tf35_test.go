package server_test

import "testing"

// TestTF35TerraformIPv6OnlyAndStickiness applies, with the real terraform
// and hashicorp/aws, round thirty-five's configuration
// (docs/terraform-acceptance.md, "Round thirty-five"): IPv6-only subnets
// (ipv6_native, no cidr_block) with DNS64 and AAAA records, target group
// stickiness of each kind, slow start and the routing algorithm, and an
// ALB's weighted forward with group stickiness. The second plan must be
// empty.
func TestTF35TerraformIPv6OnlyAndStickiness(t *testing.T) {
	terraformApply(t, "testdata/terraform/tf35-ipv6-only-stickiness", "us-east-1", "")
}

// TestTF35TerraformNLBLBCookie applies the old NLB workaround
// stickiness { enabled = false, type = "lb_cookie" }: hashicorp/aws 5.x
// sends stickiness.type whatever enabled says, and ModifyTargetGroupAttributes
// refuses it as ELB does (hashicorp/terraform-provider-aws#15603).
func TestTF35TerraformNLBLBCookie(t *testing.T) {
	terraformApply(t, "testdata/terraform/tf35-nlb-lb-cookie", "us-east-1",
		"Stickiness type 'lb_cookie' is not supported for target groups with the TCP protocol")
}
