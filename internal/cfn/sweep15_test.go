package cfn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestSweepBlueGreenBuilt: a service with ECS's own blue/green deployment
// (round fifteen's template) is built as such: strategy BLUE_GREEN, its
// lifecycle hook, the load balancer's advanced configuration, and its
// first deployment's tasks in the blue (primary) target group. No warning
// says it was not modelled (before, ecsnet deployed it by rolling update
// and said so).
func TestSweepBlueGreenBuilt(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: repoFile("internal/cfn/testdata/sweep/round15-blue-green.yaml"), Name: "bg"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "not modelled") {
			t.Errorf("warning %q", w.Msg)
		}
	}
	blue, green := res.PhysicalIDs["Blue"], res.PhysicalIDs["Green"]
	res.Engine.Read(func(st *model.State) {
		s := st.Services[res.PhysicalIDs["Service"]]
		if s == nil {
			t.Fatalf("the service was not created: %v", res.PhysicalIDs)
		}
		dc := s.DeploymentConfig
		if dc == nil || dc.Strategy != "BLUE_GREEN" || len(dc.LifecycleHooks) != 1 || dc.LifecycleHooks[0].Stages[0] != "PRE_SCALE_UP" {
			t.Errorf("deployment configuration %+v", dc)
		}
		if a := s.LoadBalancers[0].Advanced; a == nil || a.AlternateTargetGroupARN != green || a.ProductionListenerRule != res.PhysicalIDs["Production"] || a.RoleARN == "" {
			t.Errorf("advanced configuration %+v", a)
		}
		if n := st.TargetGroups[blue].Targets.Len(); n != 1 {
			t.Errorf("%d targets in the blue group, want the service's 1", n)
		}
		if n := st.TargetGroups[green].Targets.Len(); n != 0 {
			t.Errorf("%d targets in the green group, want none", n)
		}
	})
}

// TestBlueGreenLinearBuilt: the same service with Strategy LINEAR and a
// LinearConfiguration is built as a linear deployment, unwarned.
func TestBlueGreenLinearBuilt(t *testing.T) {
	body, err := os.ReadFile(repoFile("internal/cfn/testdata/sweep/round15-blue-green.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	linear := strings.Replace(string(body), "Strategy: BLUE_GREEN", "Strategy: LINEAR\n        LinearConfiguration: {StepPercent: 12.5, StepBakeTimeInMinutes: 2}", 1)
	path := filepath.Join(t.TempDir(), "linear.yaml")
	if err := os.WriteFile(path, []byte(linear), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: path, Name: "linear"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "not modelled") {
			t.Errorf("warning %q", w.Msg)
		}
	}
	res.Engine.Read(func(st *model.State) {
		if dc := st.Services[res.PhysicalIDs["Service"]].DeploymentConfig; dc == nil || dc.Strategy != "LINEAR" || dc.StepPercent != 12.5 || dc.StepBakeTimeInMinutes != 2 {
			t.Errorf("deployment configuration %+v", dc)
		}
	})
}
