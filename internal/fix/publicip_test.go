package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Fargate tasks with a public IP in subnets on the main route table (no
// internet gateway route): the start path has no route, Lint says the
// public IP is never used, and associating the subnets with the VPC's
// internet route table is the first verified fix.
func TestPublicIPWithoutInternetRoute(t *testing.T) {
	e := load(t, "testdata/publicip-no-igw-route.yaml", nil)
	fixes, res, err := fix.Find(e, "internet", "blog-lb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.HTTP503 || !res.HasCode(reach.CodeImagePullFailed) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 || fixes[0].Kind != "route" || !strings.HasPrefix(fixes[0].Title, "Associate run-a, run-b with route table to-igw") ||
		!strings.Contains(fixes[0].Commands[0], "aws ec2 associate-route-table --route-table-id rtb-") || !fixes[0].Verification.Verdict.Reachable() {
		t.Fatalf("fixes = %+v", fixes)
	}
	st, _ := e.Snapshot()
	for _, x := range reach.Lint(reach.Compile(st)) {
		if x.Code == reach.CodeImagePullFailed && !strings.Contains(x.Fix, "the ENI has a public IP, but its subnet's route table has no 0.0.0.0/0 route") {
			t.Errorf("hint = %s", x.Fix)
		}
	}
}
