package cli

import (
	"os"
	"path/filepath"
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
	if code == ExitOK || !strings.Contains(all, "HostGroup (AWS::AutoScaling::AutoScalingGroup): Received 0 SUCCESS signal(s) out of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement") ||
		!strings.Contains(all, "has no route to cloudformation.us-east-1.amazonaws.com") {
		t.Errorf("Egress=none: exit %d:\n%s", code, all)
	}
	if code, out, errs := run(t, "check", tpl, "--param", "Egress=nat"); code != ExitOK {
		t.Errorf("Egress=nat: exit %d:\n%s%s", code, out, errs)
	}

	// AutoScalingCreationPolicy's MinSuccessfulInstancesPercent: at 50 one
	// of the two signals must arrive (none does: the text says 50%); at 0
	// the group completes without any (and the check then finds that its
	// instances cannot reach ECS either).
	body, err := os.ReadFile(filepath.Join("..", "..", tpl))
	if err != nil {
		t.Fatal(err)
	}
	for pct, wantOK := range map[string]bool{"50": false, "0": true} {
		policy := "    CreationPolicy:\n      AutoScalingCreationPolicy:\n        MinSuccessfulInstancesPercent: " + pct + "\n"
		text := strings.Replace(string(body), "    CreationPolicy:\n", policy, 1)
		if text == string(body) {
			t.Fatal("no CreationPolicy in " + tpl)
		}
		path := filepath.Join(t.TempDir(), "pct"+pct+".yaml")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs := run(t, "check", path, "--param", "Egress=none")
		switch all := out + errs; {
		case wantOK && (strings.Contains(all, "SUCCESS signal(s)") || !strings.Contains(all, "ECS_AGENT_CANNOT_REGISTER")):
			// The stack completes; its instances still cannot reach ECS.
			t.Errorf("MinSuccessfulInstancesPercent %s: exit %d:\n%s", pct, code, all)
		case !wantOK && !strings.Contains(all, "Received 0 SUCCESS signal(s) out of 2. Unable to satisfy "+pct+"% MinSuccessfulInstancesPercent requirement"):
			t.Errorf("MinSuccessfulInstancesPercent %s: exit %d:\n%s", pct, code, all)
		}
	}
}
