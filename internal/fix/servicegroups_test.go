package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// An awsvpc service created without security groups runs in the VPC's
// default group: the first verified fix gives the service the group made
// for it, by a new deployment; a service that names its groups is not
// offered one.
func TestServiceGroupsFix(t *testing.T) {
	const path = "../../examples/failures/awsvpc-default-sg.yaml"
	e := load(t, path, nil)
	fixes, res, err := fix.Find(e, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.HTTP504 || !res.HasCode(reach.CodeSGRulesMismatch) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 || fixes[0].Kind != "service" || !strings.HasPrefix(fixes[0].Title, "Give the service web the security group web-sg") ||
		fixes[0].Verification.Verdict != reach.HTTP200 || !strings.Contains(fixes[0].Commands[0], "securityGroups=[sg-") {
		t.Fatalf("fixes = %+v", fixes)
	}
	// The same service given a group of its own that does not admit the
	// ALB: the fix is a rule on that group, not another group.
	e = load(t, path, func(s string) string {
		s = strings.Replace(s, "  web-sg: {vpc: main,", "  other-sg: {vpc: main}\n  web-sg: {vpc: main,", 1)
		return strings.Replace(s, "    assign_public_ip: true\n", "    assign_public_ip: true\n    security_groups: [other-sg]\n", 1)
	})
	fixes, _, err = fix.Find(e, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixes {
		if f.Kind == "service" {
			t.Errorf("a service with its own group got %q", f.Title)
		}
	}
}
