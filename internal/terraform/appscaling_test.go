package terraform_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Application Auto Scaling: a service with desired_count 0 under an
// aws_appautoscaling_target of min_capacity 2 is analysed with 2 tasks;
// the policies (target tracking, step) and the scheduled action are
// engine calls, read whole. A target of max_capacity 0 keeps the service
// at 0, and the cause of the 503 says so.
func TestAppAutoScaling(t *testing.T) {
	res := load(t, "testdata/appscaling", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "appautoscaling") {
			t.Errorf("warning: %s", w.String())
		}
	}
	for _, s := range res.Skipped {
		if strings.HasPrefix(s.Type, "aws_appautoscaling") {
			t.Errorf("skipped %s: %s", s.Address, s.Reason)
		}
	}
	res.Engine.Read(func(st *model.State) {
		running := 0
		for _, tk := range st.Tasks {
			if tk.LastStatus == "RUNNING" {
				running++
			}
		}
		if running != 2 {
			t.Errorf("%d running tasks, want 2", running)
		}
		if len(st.AppScalingPolicies) != 2 || len(st.AppScheduledActions) != 1 {
			t.Fatalf("policies %v, scheduled actions %v", st.AppScalingPolicies, st.AppScheduledActions)
		}
		for _, p := range st.AppScalingPolicies {
			if p.Name == "up" {
				sc, _ := p.Config["StepScalingPolicyConfiguration"].(map[string]any)
				steps, _ := sc["StepAdjustments"].([]any)
				if p.Type != "StepScaling" || sc["AdjustmentType"] != "ChangeInCapacity" || len(steps) != 1 {
					t.Errorf("step policy %+v", p)
				}
			}
		}
	})
	lb := res.Names["aws_lb.app"]
	if r := probe(t, res.Engine, "internet", lb); r.Verdict != reach.HTTP200 {
		t.Errorf("internet → the ALB = %s: %s", r.Verdict, r.Summary)
	}

	res = load(t, "testdata/appscaling", map[string]string{"min_tasks": "0", "max_tasks": "0"})
	r := probe(t, res.Engine, "internet", res.Names["aws_lb.app"])
	if r.Verdict != reach.HTTP503 || !r.HasCode(reach.CodeDesiredCountZero) || !strings.Contains(r.Summary+explain(r), "MaxCapacity 0") {
		t.Errorf("a target of max 0: %s: %s", r.Verdict, r.Summary)
	}
}

func explain(r *reach.Result) string {
	var b strings.Builder
	for _, x := range r.Blocking() {
		b.WriteString(x.Message + "\n")
	}
	return b.String()
}
