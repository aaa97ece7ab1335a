package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Bridge tasks with dynamic host ports: the instance security group drops
// the ALB on today's host port. The fix opens the dynamic range
// (32768-65535) from the ALB's group, not the single port the next task
// will not get, and Lint reports the blocked range once.
func TestDynamicHostPortFixOpensTheRange(t *testing.T) {
	e := load(t, "testdata/bridge-dynamic-ports.yaml", nil)
	fixes, res, err := fix.Find(e, "internet", "front:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.HTTP504 || !res.HasCode(reach.CodeSGRulesMismatch) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 {
		t.Fatal("no verified fix")
	}
	f := fixes[0]
	if !strings.HasPrefix(f.Title, "Allow tcp/32768-65535 from security group front-sg on security group node-sg") ||
		!strings.Contains(f.Commands[0], "--port 32768-65535 --source-group") || !strings.Contains(f.Scenario, "ports: 32768-65535, group: front-sg") {
		t.Errorf("first fix = %q %v %q", f.Title, f.Commands, f.Scenario)
	}
	st, _ := e.Snapshot()
	n := 0
	for _, x := range reach.Lint(reach.Compile(st)) {
		if x.Code == reach.CodeDynamicPortsBlocked {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d %s findings, want 1", n, reach.CodeDynamicPortsBlocked)
	}
}
