package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A service without security groups in a VPC whose default group has no
// rules (a scenario's "default" group is the VPC's own, its rules the
// file's): the tasks never start, and the first verified fix gives the
// service the group made for it, not a rule on the default group (which
// would start the tasks but leave them unreachable). A service that names
// a group of its own is not offered another.
func TestStartDefaultGroupFix(t *testing.T) {
	const path = "../../examples/failures/default-sg-no-rules.yaml"
	e := load(t, path, nil)
	e.Read(func(st *model.State) {
		for _, v := range st.VPCs {
			if g := st.SecurityGroups[v.DefaultSecurityGroup]; g == nil || len(g.Ingress)+len(g.Egress) != 0 {
				t.Errorf("default group of %s: %+v, want no rules", v.ID, g)
			}
		}
	})
	fixes, res, err := fix.Find(e, "internet", "ui-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.HTTP503 || !res.HasCode(reach.CodeImagePullFailed) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 || fixes[0].Kind != "service" || !strings.HasPrefix(fixes[0].Title, "Give the service consul-ui the security group ui-sg") ||
		fixes[0].Verification.Verdict != reach.HTTP200 {
		t.Fatalf("fixes = %+v", fixes)
	}
	e = load(t, path, func(s string) string {
		s = strings.Replace(s, "  ui-sg: {vpc: main,", "  own-sg: {vpc: main, egress: []}\n  ui-sg: {vpc: main,", 1)
		return strings.Replace(s, "    subnets: [private-a, private-b]\n    load_balancers:", "    subnets: [private-a, private-b]\n    security_groups: [own-sg]\n    load_balancers:", 1)
	})
	fixes, _, err = fix.Find(e, "internet", "ui-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixes {
		if f.Kind == "service" && strings.HasPrefix(f.Title, "Give the service") {
			t.Errorf("a service with its own group was given another: %s", f.Title)
		}
	}
}
