package engine_test

import (
	"slices"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestScaleInStopsNewestByARN: scaling a service in stops the tasks with
// the greatest ARNs first, a batch per Step, as when the tasks were picked
// by sorting them all; the service's index (which picks them without
// walking the tasks) keeps up through a deployment and a rollback.
func TestScaleInStopsNewestByARN(t *testing.T) {
	const batch = 10
	e := engine.New(engine.WithIDs(engine.SeededIDs(3)), engine.WithConfig(engine.Config{ServiceLaunchBatch: batch}))
	fargateService(t, e, 60)
	converge := func() {
		t.Helper()
		if err := e.Converge(); err != nil {
			t.Fatal(err)
		}
	}
	converge()
	wanted := func() []string {
		var out []string
		e.Read(func(st *model.State) {
			for _, tk := range st.Tasks {
				if tk.DesiredStatus == model.TaskRunning {
					out = append(out, tk.ARN)
				}
			}
		})
		slices.Sort(out)
		return out
	}
	scale := func(n int) {
		t.Helper()
		if _, err := e.UpdateService(engine.UpdateServiceInput{Cluster: "big", Service: "web", DesiredCount: &n}); err != nil {
			t.Fatal(err)
		}
	}
	// Scale in step by step: each Step stops the batch of greatest ARNs.
	scale(35)
	for want := wanted(); len(want) > 35; {
		if _, err := e.Step(); err != nil {
			t.Fatal(err)
		}
		got := wanted()
		n := max(len(want)-batch, 35)
		if !slices.Equal(got, want[:n]) {
			t.Fatalf("after a step of the scale-in: %d tasks wanted, want the %d least ARNs of %d", len(got), n, len(want))
		}
		want = got
	}
	converge()
	// A rejected update changes nothing; then out and in again.
	bad := -1
	if _, err := e.UpdateService(engine.UpdateServiceInput{Cluster: "big", Service: "web", DesiredCount: &bad}); err == nil {
		t.Fatal("a negative desired count was accepted")
	}
	scale(50)
	converge()
	before := wanted()
	if len(before) != 50 {
		t.Fatalf("%d tasks after scaling out to 50", len(before))
	}
	scale(20)
	converge()
	if got := wanted(); !slices.Equal(got, before[:20]) {
		t.Fatalf("scale-in kept %d tasks, want the 20 least ARNs", len(got))
	}
	// A new deployment replaces every task; its old tasks are retired.
	if _, err := e.UpdateService(engine.UpdateServiceInput{Cluster: "big", Service: "web", ForceNewDeployment: true}); err != nil {
		t.Fatal(err)
	}
	converge()
	after := wanted()
	both := append(slices.Clone(after), before[:20]...)
	slices.Sort(both)
	if len(after) != 20 || len(slices.Compact(both)) != 40 {
		t.Fatalf("after the deployment: %d tasks, some of the old ones left", len(after))
	}
	// A deployment of one task: its deployment has a single wanted task
	// as it moves through its states.
	scale(1)
	converge()
	if _, err := e.UpdateService(engine.UpdateServiceInput{Cluster: "big", Service: "web", ForceNewDeployment: true}); err != nil {
		t.Fatal(err)
	}
	converge()
	scale(0)
	converge()
	if got := wanted(); len(got) != 0 {
		t.Fatalf("%d tasks wanted after scaling to 0", len(got))
	}
}
