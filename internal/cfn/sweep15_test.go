package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

// TestSweepBlueGreenSaid: a service with ECS's own blue/green deployment
// is created as its first deployment leaves it (rolling update is all
// ecsnet models), and the analyzer names what it did not read: the
// strategy, the lifecycle hooks and the load balancer's advanced
// configuration. Before, they were dropped unsaid.
func TestSweepBlueGreenSaid(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: repoFile("internal/cfn/testdata/sweep/round15-blue-green.yaml"), Name: "bg"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.PhysicalIDs["Service"] == "" {
		t.Fatalf("the service was not created: %v", res.PhysicalIDs)
	}
	var said bool
	for _, w := range res.Warnings {
		said = said || strings.Contains(w.Msg, "rolling update only") && strings.Contains(w.Msg, "Strategy BLUE_GREEN") &&
			strings.Contains(w.Msg, "LifecycleHooks") && strings.Contains(w.Msg, "AdvancedConfiguration")
	}
	if !said {
		t.Errorf("warnings %v, want the blue/green settings named as not modelled", res.Warnings)
	}
}
