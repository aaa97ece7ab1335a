package terraform_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// A load balancer's only inbound rule admits a CIDR from a variable
// without a value: the rule is left out, and the listener is not called
// closed (ECS_LB_SG_CLOSES_LISTENER) but undecided; with the value it is
// open, and neither is said. Inline and as a rule resource.
func TestLBListenerUnknownSource(t *testing.T) {
	for _, style := range []string{"inline", "separate"} {
		res := load(t, "testdata/lb-unknown-source", map[string]string{"rule_style": style})
		st, _ := res.Engine.Snapshot()
		var codes []string
		for _, f := range reach.Lint(reach.Compile(st)) {
			if f.Code == reach.CodeLBListenerClosed || f.Code == reach.CodeLBListenerUndecided {
				codes = append(codes, f.Code)
				if f.Code == reach.CodeLBListenerUndecided && (!strings.Contains(f.Message, "tcp/443") || !strings.Contains(f.Message, "unknown at analysis time")) {
					t.Errorf("%s: %s", style, f.Message)
				}
			}
		}
		if len(codes) != 1 || codes[0] != reach.CodeLBListenerUndecided {
			t.Errorf("%s: findings %v, want only %s", style, codes, reach.CodeLBListenerUndecided)
		}
		// A probe through the group: unknown, not a timeout.
		if r := probe(t, res.Engine, "internet", "portal:443"); r.Verdict != reach.Unknown || !r.HasCode(reach.CodeSGRuleUnknownSource) {
			t.Errorf("%s: internet → portal:443 = %s: %s", style, r.Verdict, r.Summary)
		}
		res = load(t, "testdata/lb-unknown-source", map[string]string{"rule_style": style, "office_cidr": "198.51.100.0/24"})
		if r := probe(t, res.Engine, "internet:198.51.100.7", "portal:443"); r.Verdict != reach.HTTP200 {
			t.Errorf("%s with the value: internet → portal:443 = %s: %s", style, r.Verdict, r.Summary)
		}
		st, _ = res.Engine.Snapshot()
		for _, f := range reach.Lint(reach.Compile(st)) {
			if f.Code == reach.CodeLBListenerClosed || f.Code == reach.CodeLBListenerUndecided {
				t.Errorf("%s with the value: %s %s", style, f.Code, f.Message)
			}
		}
	}
}
