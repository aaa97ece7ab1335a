package collect_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// A service of the CODE_DEPLOY controller created by CloudFormation (the
// AWS::CodeDeployBlueGreen transform, an AWS::ECS::TaskSet and its
// AWS::ECS::PrimaryTaskSet) runs its tasks in a task set: describe-services
// answers the set under the service's taskSets, and both collectors'
// snapshots carry it. Read back, the snapshot's service has the live task
// set (its target group, scale, status), and each of the service's
// running tasks is started by it and registered with its target group,
// the one behind the live listener. Before round thirty-six the reader
// dropped taskSets: the snapshot's CODE_DEPLOY service had none, and its
// tasks were started by a set the analyzer did not know.
func TestCollectTaskSetsFromServe(t *testing.T) {
	testCredentials(t)
	srv, url := startStepped(t)
	deployStepped(t, srv, sdkConfig(t, url), corpusStack{name: "shop", template: "internal/cfn/testdata/sweep28/bluegreen.yaml"}, nil)
	setsOnly := cmp.Options{cmpopts.EquateEmpty(), cmpopts.EquateApproxTime(time.Second),
		// describe-services answers no task set's tags (describe-task-sets
		// --include TAGS does).
		cmpopts.IgnoreFields(model.TaskSet{}, "Tags")}
	check := func(t *testing.T, live, snap *model.State) {
		t.Helper()
		n := 0
		for arn, s := range live.Services {
			n += len(s.TaskSets)
			got := snap.Services[arn]
			if got == nil {
				t.Errorf("service %s is not in the snapshot", arn)
				continue
			}
			if diff := cmp.Diff(s.TaskSets, got.TaskSets, setsOnly); diff != "" {
				t.Errorf("service %s's task sets (-live +snapshot):\n%s", s.Name, diff)
			}
			for _, ts := range got.TaskSets {
				running := 0
				for _, tk := range snap.Tasks {
					if tk.StartedBy != ts.ID || tk.LastStatus != model.TaskRunning {
						continue
					}
					running++
					for _, l := range ts.LoadBalancers {
						tg := snap.TargetGroups[l.TargetGroupARN]
						if tg == nil {
							t.Errorf("task set %s's target group %s is not in the snapshot", ts.ID, l.TargetGroupARN)
							continue
						}
						registered := false
						for _, target := range tg.Targets.All() {
							for _, a := range tk.Attachments {
								registered = registered || a.PrivateIP.IsValid() && a.PrivateIP.String() == target.ID
							}
						}
						if !registered {
							t.Errorf("task %s of task set %s is not registered with %s in the snapshot", tk.ARN, ts.ID, tg.Name)
						}
					}
				}
				if want := ts.ComputedDesiredCount(got.DesiredCount); running != want {
					t.Errorf("task set %s: %d running tasks in the snapshot, want %d", ts.ID, running, want)
				}
			}
		}
		if n != 1 {
			t.Errorf("live: %d task sets, want 1", n)
		}
	}
	live, snap, _ := collectBoth(t, srv, url, nil)
	check(t, live, snap)
	t.Run("Write", func(t *testing.T) {
		dir := t.TempDir()
		if err := snapshot.Write(dir, live); err != nil {
			t.Fatal(err)
		}
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := res.Engine.Snapshot()
		check(t, live, got)
	})
	t.Run("scripts/collect.sh", func(t *testing.T) {
		dir, b, err := runCollectScript(t, url)
		if err != nil {
			t.Fatalf("collect.sh: %v\n%s", err, b)
		}
		if _, err := os.Stat(filepath.Join(dir, "aws_configs", "us-east-1", "ecs-describe-services.json")); err != nil {
			t.Fatal(err)
		}
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.Warnings {
			if !strings.Contains(w.String(), "whose task is not in describe-tasks") {
				t.Errorf("warning: %s", w)
			}
		}
		got, _ := res.Engine.Snapshot()
		check(t, live, got)
	})
}
