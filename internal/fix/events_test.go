package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// The scheduled task stories: the rule's finding has a verified fix that,
// applied to a copy, leaves the rule without findings.
func TestScheduledTaskFixes(t *testing.T) {
	for file, want := range map[string]string{
		"scheduled-fargate-public-no-ip.yaml":            "Set AssignPublicIp ENABLED in the target nightly-report",
		"scheduled-awsvpc-no-network-configuration.yaml": "Give the target hourly-cleanup of the rule hourly-cleanup a NetworkConfiguration",
	} {
		t.Run(file, func(t *testing.T) {
			sc, err := scenario.Load("../../examples/failures/analyzer-only/" + file)
			if err != nil {
				t.Fatal(err)
			}
			b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
			if err != nil {
				t.Fatal(err)
			}
			e := b.Engine
			rule := ""
			for _, f := range reach.Lint(reach.Compile(snapshotOf(e))) {
				if f.Resource != nil && f.Resource.Type == "events-rule" {
					rule = f.Resource.Name
				}
			}
			if rule == "" {
				t.Fatal("no finding on the rule")
			}
			fixes, err := fix.ScheduledRule(e, rule)
			if err != nil || len(fixes) == 0 || !strings.HasPrefix(fixes[0].Title, want) || fixes[0].Kind != "fargate" || fixes[0].Verification.Verdict != reach.Connected {
				t.Fatalf("fixes %+v, %v; want %q", fixes, err, want)
			}
			c := e.Clone()
			if err := fixes[0].Apply(c); err != nil {
				t.Fatal(err)
			}
			for _, f := range reach.Lint(reach.Compile(snapshotOf(c))) {
				if f.Resource != nil && f.Resource.Type == "events-rule" {
					t.Errorf("after the fix: %s %s", f.Code, f.Message)
				}
			}
		})
	}
}

func snapshotOf(e *engine.Engine) *model.State {
	st, _ := e.Snapshot()
	return st
}
