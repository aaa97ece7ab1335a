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

// TestBlueGreenLinearSaid: a LINEAR service, which ecsnet does not model,
// deploys by rolling update, and the load names what it did not read.
func TestBlueGreenLinearSaid(t *testing.T) {
	body, err := os.ReadFile(repoFile("internal/cfn/testdata/sweep/round15-blue-green.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	linear := strings.Replace(string(body), "Strategy: BLUE_GREEN", "Strategy: LINEAR\n        LinearConfiguration: {StepPercent: 10, StepBakeTimeInMinutes: 1}", 1)
	path := filepath.Join(t.TempDir(), "linear.yaml")
	if err := os.WriteFile(path, []byte(linear), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: path, Name: "linear"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	said := false
	for _, w := range res.Warnings {
		said = said || strings.Contains(w.Msg, "Strategy LINEAR") && strings.Contains(w.Msg, "LinearConfiguration") && strings.Contains(w.Msg, "not modelled")
	}
	if !said {
		t.Errorf("warnings %v, want LINEAR named as not modelled", res.Warnings)
	}
	res.Engine.Read(func(st *model.State) {
		if dc := st.Services[res.PhysicalIDs["Service"]].DeploymentConfig; dc != nil && dc.Strategy != "" {
			t.Errorf("strategy %q, want the rolling update", dc.Strategy)
		}
	})
}
