package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestAppOnContainerPort: an application that listens on another port
// than its containerPort is fixed by a revision whose application listens
// on the mapped port, redeployed and verified through the load balancer;
// the fix names every port it listened on.
func TestAppOnContainerPort(t *testing.T) {
	const story = "../../examples/failures/app-port-mismatch.yaml"
	fixes := findFixes(t, story, nil, "internet", "web-alb:80", "tcp", reach.CodeAppPortMismatch)
	f, ok := fixTitled(fixes, "Make the application of container web listen on 80 (its containerPort), not 3000, and redeploy web")
	if !ok || f.Kind != "application" || f.Verification.Verdict != "http 200" || !strings.Contains(f.Scenario, "app_ports: [80]") {
		t.Fatalf("no verified application fix:\n%s", titles(fixes))
	}
	two := func(s string) string { return strings.Replace(s, "app_ports: [3000]", "app_ports: [3000, 3001]", 1) }
	fixes = findFixes(t, story, two, "internet", "web-alb:80", "tcp", reach.CodeAppPortMismatch)
	if _, ok := fixTitled(fixes, "Make the application of container web listen on 80 (its containerPort), not 3000, 3001"); !ok {
		t.Fatalf("no verified fix naming both ports:\n%s", titles(fixes))
	}
}
