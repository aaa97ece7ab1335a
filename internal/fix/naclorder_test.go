package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A network ACL entry that denies a load balancer's node is fixed for
// every node: the allow entry names the VPC's range that holds them, not
// the one node the probe went through (nodes are one per zone, and their
// addresses change as the load balancer scales).
func TestNACLFixCoversEveryLBNode(t *testing.T) {
	e := load(t, "../../examples/failures/nacl-deny-order.yaml", nil)
	fixes, res, err := fix.Find(e, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.HTTP504 || !res.HasCode(reach.CodeSubnetACLRestriction) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 || fixes[0].Kind != "network-acl" || !strings.HasSuffix(fixes[0].Title, "allow tcp 3000 from 10.0.0.0/16") {
		t.Fatalf("fixes = %+v", fixes)
	}
	// Applied, the load balancer's every target is healthy again.
	clone := e.Clone()
	if err := fixes[0].Apply(clone); err != nil {
		t.Fatal(err)
	}
	st, _ := clone.Snapshot()
	n := reach.Compile(st)
	for _, tg := range st.TargetGroups {
		for _, h := range reach.TargetHealth(n, tg.ARN) {
			if h.Reason != "" {
				t.Errorf("target %s: %s", h.Target.ID, h.Reason)
			}
		}
	}
}
