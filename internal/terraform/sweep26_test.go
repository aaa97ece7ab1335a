package terraform_test

import (
	"strings"
	"testing"
)

// TestSweep26KeyPair: a key_name given by a literal or a root module
// variable, which no aws_key_pair (or data source) of the configuration
// gives, must already exist in the region; EC2 refuses a launch naming a
// key pair the region does not have (InvalidKeyPair.NotFound; an Auto
// Scaling group of the template: "You must use a valid fully-formed
// launch template. The key pair '…' does not exist"). ecsnet said
// nothing; it now warns at the launch template and the launch
// configuration, not at the instance whose key comes from aws_key_pair.
func TestSweep26KeyPair(t *testing.T) {
	res := load(t, "testdata/sweep26-key-pair", nil)
	var lt, lc, inst bool
	for _, w := range res.Warnings {
		lt = lt || (w.Line == 26 && strings.Contains(w.Msg, `aws_launch_template.ecs names the key pair "ec2ecsglog", which this configuration neither creates nor reads: it must already exist in the region (us-east-2)`) &&
			strings.Contains(w.Msg, `"ValidationError: You must use a valid fully-formed launch template. The key pair 'ec2ecsglog' does not exist"`))
		lc = lc || (w.Line == 45 && strings.Contains(w.Msg, `aws_launch_configuration.legacy names the key pair "ops"`) &&
			strings.Contains(w.Msg, `"ValidationError: The key pair 'ops' does not exist"`))
		inst = inst || strings.Contains(w.Msg, "aws_instance.bastion")
	}
	if !lt || !lc || inst {
		t.Errorf("warnings: launch template %v, launch configuration %v (want both), instance %v (want none):\n%v", lt, lc, inst, res.Warnings)
	}
}

// TestSweep26ProviderBlockVersion: a provider block's `version` (Terraform
// 0.12's way of pinning a provider) is still a constraint `terraform init`
// meets, with Terraform's warning at each value, for any provider; ecsnet
// read the AWS provider's without a word.
func TestSweep26ProviderBlockVersion(t *testing.T) {
	res := load(t, "testdata/sweep26-provider-version", nil)
	lines := map[int]bool{}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "Version constraints inside provider configuration blocks are deprecated: Terraform 0.13 and earlier allowed provider version constraints inside the provider configuration block, but that is now deprecated and will be removed in a future version of Terraform. To silence this warning, move the provider version constraint into the required_providers block.") {
			lines[w.Line] = true
		}
	}
	if !lines[6] || !lines[11] || len(lines) != 2 {
		t.Errorf("warned at lines %v, want 6 and 11:\n%v", lines, res.Warnings)
	}
}
