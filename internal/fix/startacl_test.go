package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A network ACL drops the replies of the task start path (ECR through a
// NAT gateway, replies to ephemeral ports): the probe names the ACL entry
// that decides, the first verified fix is an inbound ephemeral-port entry
// on that ACL, and Lint's hint names the ACL instead of "the path".
func TestStartPathNetworkACLFix(t *testing.T) {
	e := load(t, "testdata/nacl-nat-return.yaml", nil)
	fixes, res, err := fix.Find(e, "internet", "edge:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.HTTP503 || !res.HasCode(reach.CodeImagePullFailed) || !strings.Contains(res.Summary, "network ACL svc-acl") {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 {
		t.Fatal("no verified fix")
	}
	f := fixes[0]
	if f.Kind != "network-acl" || !strings.Contains(f.Title, "network ACL svc-acl: allow tcp 1024-65535 from 0.0.0.0/0") || !f.Verification.Verdict.Reachable() {
		t.Errorf("first fix = %+v", f)
	}
	st, _ := e.Snapshot()
	n := 0
	for _, x := range reach.Lint(reach.Compile(st)) {
		if x.Code == reach.CodeImagePullFailed {
			n++
			if !strings.Contains(x.Fix, "network ACL svc-acl that allows tcp/1024-65535") {
				t.Errorf("hint = %s", x.Fix)
			}
		}
	}
	if n == 0 {
		t.Errorf("Lint reports no %s", reach.CodeImagePullFailed)
	}
}
