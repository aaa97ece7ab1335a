package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A security group on the start path (the task's egress, or an interface
// endpoint's ingress) stops the tasks: the probe names
// ECS_IMAGE_PULL_FAILED with the group as the blocking component, and the
// first verified fix is the one rule on that group, proved by a new
// deployment whose tasks run. A probe from a stopped task is verified
// from the service's name (its new tasks).
func TestStartPathSecurityGroupFix(t *testing.T) {
	cases := []struct {
		file, from, to     string
		verdict            reach.Verdict
		group, dir, source string
	}{
		{"task-egress-443.yaml", "internet", "api-lb:80", reach.HTTP503, "app-sg", "egress", "--cidr 0.0.0.0/0"},
		{"endpoint-sg-443.yaml", "worker/0", "ecr:443", reach.Unknown, "vpce-sg", "ingress", "--source-group "},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			e := load(t, "testdata/"+c.file, nil)
			fixes, res, err := fix.Find(e, c.from, c.to, "tcp", fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != c.verdict || !res.HasCode(reach.CodeImagePullFailed) || !strings.Contains(res.Summary, "security group "+c.group) {
				t.Fatalf("%s: %s", res.Verdict, res.Summary)
			}
			if strings.Contains(res.Summary, "interface endpoint with private DNS") {
				t.Errorf("a missing endpoint is named as part of a security group's drop: %s", res.Summary)
			}
			var tk *reach.TasksStopped
			for _, x := range res.Blocking() {
				if x.Code == reach.CodeImagePullFailed {
					tk = x.Tasks
				}
			}
			if tk == nil || tk.Failure == nil || tk.Failure.Blocked == nil || tk.Failure.Blocked.Component.Name != c.group {
				t.Fatalf("the start failure does not name %s: %+v", c.group, tk)
			}
			if len(fixes) == 0 {
				t.Fatal("no verified fix")
			}
			f := fixes[0]
			if f.Kind != "security-group" || !strings.Contains(f.Title, "security group "+c.group+" ("+c.dir) ||
				!strings.Contains(f.Commands[0], "authorize-security-group-"+c.dir) || !strings.Contains(f.Commands[0], c.source) {
				t.Errorf("first fix = %s %v", f.Title, f.Commands)
			}
			if !f.Verification.Verdict.Reachable() {
				t.Errorf("verification = %+v", f.Verification)
			}
		})
	}
}
