package reach

import (
	"strings"
	"testing"
)

// A task group admitting two of the ALB's three subnets: a probe through
// the node in us-east-1a connects, and says that the node in us-east-1c's
// health checks of the same targets time out, so the targets are
// reported unhealthy (ECS_TARGET_UNHEALTHY) though this node serves them.
func TestTargetUnhealthyFromAnotherNode(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/alb-health-one-node-subnet-missing.yaml")))
	r := Probe(n, mustQuery(t, n, "internet", "web-alb:80"))
	if r.Verdict != HTTP200 {
		t.Fatalf("verdict %s: %s", r.Verdict, r.Summary)
	}
	found := 0
	for _, e := range r.Explanations {
		if e.Code == CodeTargetUnhealthy && strings.Contains(e.Message, "node in us-east-1a (10.0.1.4), this request's, but not those of the node in us-east-1c (10.0.3.4)") &&
			strings.Contains(e.Message, "Target.Timeout") {
			found++
		}
	}
	if found != 2 {
		t.Errorf("%d findings of the two targets naming both nodes: %+v", found, r.Explanations)
	}
}
