package engine_test

import (
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestStoppedTasksExpire: a STOPPED task stays for
// Config.StoppedTaskRetention after it stopped, then Step removes it; one
// Step removes at most TaskTransitionsPerStep of them; a negative retention
// keeps them.
func TestStoppedTasksExpire(t *testing.T) {
	for _, c := range []struct {
		name      string
		retention time.Duration
		keep      bool
	}{{"expire", 10 * time.Minute, false}, {"keep", -1, true}} {
		t.Run(c.name, func(t *testing.T) {
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			e := engine.New(engine.WithIDs(engine.SeededIDs(1)), engine.WithClock(func() time.Time { return now }),
				engine.WithConfig(engine.Config{TaskTransitionsPerStep: 30, StoppedTaskRetention: c.retention}))
			fargateService(t, e, 0)
			var subnet model.SubnetID
			e.Read(func(st *model.State) {
				for id := range st.Subnets {
					subnet = id
				}
			})
			out := must(e.RunTask(engine.RunTaskInput{Cluster: "big", TaskDefinition: "web", Count: 10, LaunchType: model.LaunchFargate,
				Network: &model.AwsVpcConfiguration{Subnets: []model.SubnetID{subnet}}}))
			first := out.Tasks[0].ARN
			for range 4 {
				out2 := must(e.RunTask(engine.RunTaskInput{Cluster: "big", TaskDefinition: "web", Count: 10, LaunchType: model.LaunchFargate,
					Network: &model.AwsVpcConfiguration{Subnets: []model.SubnetID{subnet}}}))
				out.Tasks = append(out.Tasks, out2.Tasks...)
			}
			if err := e.Converge(); err != nil {
				t.Fatal(err)
			}
			for _, tk := range out.Tasks {
				must(e.StopTask("big", tk.ARN, "done"))
			}
			if err := e.Converge(); err != nil {
				t.Fatal(err)
			}
			if n, by := countTasks(e); n != 50 || by[model.TaskStopped] != 50 {
				t.Fatalf("after stopping: %d tasks, %v", n, by)
			}
			// Running one more task later: it stays, as it is not stopped.
			must(e.RunTask(engine.RunTaskInput{Cluster: "big", TaskDefinition: "web", Count: 1, LaunchType: model.LaunchFargate,
				Network: &model.AwsVpcConfiguration{Subnets: []model.SubnetID{subnet}}}))
			now = now.Add(9 * time.Minute)
			if _, err := e.Step(); err != nil {
				t.Fatal(err)
			}
			if n, _ := countTasks(e); n != 51 {
				t.Fatalf("before the retention ends: %d tasks, want 51", n)
			}
			now = now.Add(2 * time.Minute)
			if _, err := e.Step(); err != nil {
				t.Fatal(err)
			}
			n, by := countTasks(e)
			if c.keep {
				if n != 51 {
					t.Fatalf("kept for ever: %d tasks, want 51", n)
				}
				return
			}
			if by[model.TaskStopped] != 20 {
				t.Fatalf("one step removed %d stopped tasks, want 30 (TaskTransitionsPerStep)", 50-by[model.TaskStopped])
			}
			if _, err := e.Step(); err != nil {
				t.Fatal(err)
			}
			n, by = countTasks(e)
			if n != 1 || by[model.TaskStopped] != 0 {
				t.Fatalf("after the retention: %d tasks %v, want only the running one", n, by)
			}
			e.Read(func(st *model.State) {
				if st.Tasks[first] != nil {
					t.Error("the first stopped task is still there")
				}
			})
		})
	}
}
