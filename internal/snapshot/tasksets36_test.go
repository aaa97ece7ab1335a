package snapshot_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/model"
)

// An EXTERNAL service's task sets are read from describe-services'
// taskSets and, when a snapshot holds them there only, from
// describe-task-sets' output; a set naming a target group the snapshot
// lacks is warned of.
func TestTaskSetsRead(t *testing.T) {
	st := seedState(t, "alb")
	var svc *model.Service
	for _, s := range st.Services {
		if len(s.LoadBalancers) > 0 && (svc == nil || s.ARN < svc.ARN) {
			svc = s
		}
	}
	if svc == nil {
		t.Fatal("the seed has no service behind a load balancer")
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	svc.DeploymentController = "EXTERNAL"
	svc.TaskSets = []model.TaskSet{
		{ID: "ecs-svc/1111111111111111111", ARN: strings.Replace(svc.ARN, ":service/", ":task-set/", 1) + "/ecs-svc/1111111111111111111",
			StartedBy: "ecs-svc/1111111111111111111", ExternalID: "blue", Status: "PRIMARY", TaskDefinitionARN: svc.TaskDefinitionARN, LaunchType: svc.LaunchType,
			Network: svc.Network, LoadBalancers: svc.LoadBalancers, ScaleValue: 100, StabilityStatus: "STEADY_STATE", CreatedAt: at, UpdatedAt: at},
		{ID: "ecs-svc/2222222222222222222", ARN: strings.Replace(svc.ARN, ":service/", ":task-set/", 1) + "/ecs-svc/2222222222222222222",
			StartedBy: "ecs-svc/2222222222222222222", ExternalID: "green", Status: "ACTIVE", TaskDefinitionARN: svc.TaskDefinitionARN, LaunchType: svc.LaunchType,
			Network: svc.Network, LoadBalancers: svc.LoadBalancers, ScaleValue: 0, StabilityStatus: "STEADY_STATE", CreatedAt: at, UpdatedAt: at},
	}
	want := svc.TaskSets
	opts := cmp.Options{cmpopts.EquateEmpty(), cmpopts.EquateApproxTime(time.Second)}
	t.Run("describe-services", func(t *testing.T) {
		dir, _ := writeSnapshot(t, st)
		res := load(t, dir)
		got, _ := res.Engine.Snapshot()
		if diff := cmp.Diff(want, got.Services[svc.ARN].TaskSets, opts); diff != "" {
			t.Errorf("task sets (-want +got):\n%s", diff)
		}
		for _, w := range res.Warnings {
			if strings.Contains(w.Message, "task set") || strings.Contains(w.Message, "taskSets") {
				t.Errorf("warning: %s", w)
			}
		}
	})
	t.Run("describe-task-sets", func(t *testing.T) {
		dir, region := writeSnapshot(t, st)
		// The service's taskSets moved to describe-task-sets' file, the
		// second set's target group renamed to one the snapshot lacks.
		path := filepath.Join(region, "ecs-describe-services.json")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string][]map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		var sets []any
		for _, s := range doc["services"] {
			if s["serviceArn"] == svc.ARN {
				sets, _ = s["taskSets"].([]any)
				delete(s, "taskSets")
			}
		}
		if len(sets) != 2 {
			t.Fatalf("describe-services wrote %d task sets, want 2", len(sets))
		}
		green := sets[1].(map[string]any)
		lbs := green["loadBalancers"].([]any)
		lbs[0].(map[string]any)["targetGroupArn"] = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/gone/0123456789abcdef"
		out, _ := json.Marshal(doc)
		writeFile(t, path, string(out))
		ts, _ := json.Marshal(map[string]any{"taskSets": sets, "failures": []any{}})
		writeFile(t, filepath.Join(region, "ecs-describe-task-sets.json"), string(ts))
		res := load(t, dir)
		got, _ := res.Engine.Snapshot()
		wantGone := append([]model.TaskSet(nil), want...)
		wantGone[1].LoadBalancers = []model.ServiceLoadBalancer{want[1].LoadBalancers[0]}
		wantGone[1].LoadBalancers[0].TargetGroupARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/gone/0123456789abcdef"
		if diff := cmp.Diff(wantGone, got.Services[svc.ARN].TaskSets, opts); diff != "" {
			t.Errorf("task sets (-want +got):\n%s", diff)
		}
		n := 0
		for _, w := range res.Warnings {
			switch {
			case strings.Contains(w.Message, "ecs-svc/2222222222222222222") && strings.Contains(w.Message, "targetgroup/gone/"):
				n++
			case strings.Contains(w.Message, "task set") || strings.Contains(w.Message, "not-modelled") || strings.Contains(w.Message, "taskSets"):
				t.Errorf("warning: %s", w)
			}
		}
		if n != 1 {
			t.Errorf("%d warnings of the missing target group, want 1", n)
		}
	})
}
