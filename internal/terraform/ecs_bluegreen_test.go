package terraform_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestSweep16ECSBlueGreen: aws_ecs_service's deployment_configuration
// (strategy BLUE_GREEN, bake time, a lifecycle hook) and load_balancer
// advanced_configuration are built, unwarned; the first deployment's
// tasks are in the blue group. The production rule forwards by its
// weights (blue 100: 200); the test rule forwards to the empty green group,
// which answers 503 by design: exposure says so and does not count it
// failing.
func TestSweep16ECSBlueGreen(t *testing.T) {
	res := load(t, "testdata/sweep16-ecs-bluegreen", nil)
	for _, w := range res.Warnings {
		if s := w.String(); strings.Contains(s, "deployment_configuration") || strings.Contains(s, "advanced_configuration") || strings.Contains(s, "lifecycle_hook") {
			t.Errorf("warning: %s", s)
		}
	}
	st, _ := res.Engine.Snapshot()
	var svc *model.Service
	for _, s := range st.Services {
		svc = s
	}
	if dc := svc.DeploymentConfig; dc == nil || dc.Strategy != "BLUE_GREEN" || dc.BakeTimeInMinutes != 5 || len(dc.LifecycleHooks) != 1 ||
		dc.LifecycleHooks[0].HookDetails.(map[string]any)["path"] != "/health" {
		t.Errorf("deployment configuration %+v", svc.DeploymentConfig)
	}
	if a := svc.LoadBalancers[0].Advanced; a == nil || a.AlternateTargetGroupARN == "" || a.ProductionListenerRule == "" || a.TestListenerRule == "" {
		t.Errorf("advanced configuration %+v", a)
	}
	rep := reach.Exposure(reach.Compile(st))
	var v80, v8080 string
	for _, e := range rep.Entries {
		if e.Kind != "load-balancer" || !strings.Contains(e.Rule, "/*") {
			continue
		}
		switch e.Ports.From {
		case 80:
			v80 = string(e.Verdict)
		case 8080:
			v8080 = string(e.Verdict)
			if !strings.Contains(e.Summary, "ECS blue/green deployments of the service app (whose tasks are registered in app-blue)") {
				t.Errorf("8080: %s", e.Summary)
			}
		}
	}
	if v80 != string(reach.HTTP200) || v8080 != string(reach.HTTP503) {
		t.Errorf("80: %q, 8080: %q", v80, v8080)
	}
	if len(rep.Failing) != 0 {
		t.Errorf("failing: %+v", rep.Failing)
	}
	// As a rolling-update service the empty green group is a failure.
	for _, s := range st.Services {
		s.DeploymentConfig = nil
	}
	rep = reach.Exposure(reach.Compile(st))
	if len(rep.Failing) == 0 {
		t.Error("rolling update: nothing failing, want the test listener's 503")
	}
	for _, f := range rep.Failing {
		if f.Ports.From != 8080 {
			t.Errorf("rolling update: failing %d: %s", f.Ports.From, f.Summary)
		}
	}
}
