package cli

import (
	"strings"
	"testing"
)

// ecsnet check over a template whose Auto Scaling group waits for
// cfn-signal: from private subnets with no way to CloudFormation the stack
// fails, and the error names the instance's missing route; with a NAT
// gateway the template reads cleanly.
func TestCheckSignalNeedsAWayOut(t *testing.T) {
	const tpl = "internal/cfn/testdata/signal/private-asg.yaml"
	code, out, errs := run(t, "check", tpl, "--param", "Egress=none")
	all := out + errs
	if code == ExitOK || !strings.Contains(all, "HostGroup (AWS::AutoScaling::AutoScalingGroup): Failed to receive 2 resource signal(s) within the specified duration") ||
		!strings.Contains(all, "has no route to cloudformation.us-east-1.amazonaws.com") {
		t.Errorf("Egress=none: exit %d:\n%s", code, all)
	}
	if code, out, errs := run(t, "check", tpl, "--param", "Egress=nat"); code != ExitOK {
		t.Errorf("Egress=nat: exit %d:\n%s%s", code, out, errs)
	}
}
