package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A standalone task that stopped because its ECR endpoints have private
// DNS off: the probe from it is unknown with ECS_IMAGE_PULL_FAILED, the
// first fix turns private DNS on for the existing endpoints (not new
// endpoints), and each fix is proved by running the task again, which
// ECS does not do for a standalone task.
func TestStandaloneTaskStartFix(t *testing.T) {
	e := load(t, "../reach/testdata/standalone-nodns.yaml", nil)
	fixes, res, err := fix.Find(e, "job", "ecr:443", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.Unknown || !res.HasCode(reach.CodeImagePullFailed) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 {
		t.Fatal("no verified fix")
	}
	f := fixes[0]
	cmds := strings.Join(f.Commands, "\n")
	if f.Kind != "vpc-endpoints" || !strings.HasPrefix(f.Title, "Enable private DNS on the VPC endpoints ecr.api (vpce-") ||
		strings.Contains(cmds, "create-vpc-endpoint") || !strings.Contains(cmds, "--private-dns-enabled") ||
		!strings.Contains(cmds, "aws ecs run-task --cluster batch --task-definition job:1 --launch-type FARGATE") {
		t.Errorf("first fix = %s\n%s", f.Title, cmds)
	}
	for _, x := range fixes {
		if !x.Verification.Verdict.Reachable() || x.Verification.From != "job" {
			t.Errorf("fix %q verified by %+v", x.Title, x.Verification)
		}
	}
}
