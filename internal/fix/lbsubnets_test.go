package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// An internet-facing ALB in subnets whose default route is a NAT gateway:
// the reply goes the wrong way (ECS_RETURN_ROUTE_MISMATCH at the subnet's
// route table), Lint names the load balancer's subnets, and moving the
// load balancer to the public subnets of its zones is the verified fix.
func TestInternetFacingLBInPrivateSubnets(t *testing.T) {
	e := load(t, "testdata/alb-private-subnets.yaml", nil)
	fixes, res, err := fix.Find(e, "internet", "www:443", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.Timeout || !res.HasCode(reach.CodeReturnRouteMismatch) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	for _, x := range res.Blocking() {
		if x.Code == reach.CodeReturnRouteMismatch && (x.Component == nil || x.Component.Name != "app" || x.Path != "return") {
			t.Errorf("deciding hop = %+v", x)
		}
	}
	if len(fixes) == 0 || fixes[0].Kind != "load-balancer" || !strings.Contains(fixes[0].Title, "to the public subnets edge-a, edge-b") ||
		!strings.Contains(fixes[0].Commands[0], "aws elbv2 set-subnets") {
		t.Fatalf("fixes = %+v", fixes)
	}
	if v := fixes[0].Verification.Verdict; !v.Reachable() {
		t.Errorf("verification = %+v", fixes[0].Verification)
	}
	st, _ := e.Snapshot()
	var got *reach.Finding
	for _, f := range reach.Lint(reach.Compile(st)) {
		if f.Code == reach.CodeLBPrivateSubnet {
			got = &f
		}
	}
	if got == nil || got.Resource.Name != "www" || !strings.Contains(got.Message, "app-a (us-east-1a), app-b (us-east-1b)") {
		t.Errorf("finding = %+v", got)
	}
}
