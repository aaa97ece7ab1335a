package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestICMPUnknownRuleTypeAndCode: a rule whose source is unknown at
// analysis time (a Terraform variable without a value) makes a ping
// unknown only when its ICMP type and code cover the echo request, as a
// known rule's would: a type 3 (destination unreachable) rule of unknown
// source leaves the echo request dropped.
func TestICMPUnknownRuleTypeAndCode(t *testing.T) {
	for _, c := range []struct {
		name        string
		first, last uint16 // type, code (0xFFFF: -1)
		want        Verdict
		text        string
	}{
		{"echo request, any code", 8, 0xFFFF, Unknown, "icmp type 8, any code"},
		{"all types", 0xFFFF, 0xFFFF, Unknown, "icmp, all types"},
		{"echo request, code 0", 8, 0, Unknown, "icmp type 8, code 0"},
		{"destination unreachable only", 3, 0xFFFF, Timeout, ""},
		{"echo request, code 1", 8, 1, Timeout, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, _ := build(t, "testdata/ping.yaml").Snapshot()
			var sg *model.SecurityGroup
			for _, g := range st.SecurityGroups {
				if g.Name == "tcp-sg" {
					sg = g
				}
			}
			if sg == nil {
				t.Fatal("no tcp-sg")
			}
			sg.UnknownRules = []model.SecurityGroupRule{{Protocol: model.ICMP, Ports: model.PortRange{First: c.first, Last: c.last},
				Description: "var.monitoring_cidr has no value"}}
			n := Compile(st)
			r := probeSpec(t, n, "web", "db", "icmp")
			if c.want == Timeout {
				check(t, r, Timeout, CodeSGRulesMismatch)
				if r.HasCode(CodeSGRuleUnknownSource) {
					t.Errorf("%s: %s", CodeSGRuleUnknownSource, r.Summary)
				}
				return
			}
			x := check(t, r, Unknown, CodeSGRuleUnknownSource)[CodeSGRuleUnknownSource]
			if !strings.Contains(x.Message, "rule for "+c.text+" whose source is unknown") {
				t.Errorf("message %q, want the rule as %q", x.Message, c.text)
			}
		})
	}
}
