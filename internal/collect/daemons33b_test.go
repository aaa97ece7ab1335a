package collect_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// A daemon's task on a Managed Instances instance, collected from ecsnet
// serve by ecsnet collect: the snapshot holds its daemon task definition
// (describe-daemon-task-definition; DescribeTaskDefinition does not know
// it) and the task reads as live, its task definition the daemon task
// definition's twin, with no warning. Before round thirty-three's
// daemons33b the task definition call failed on the daemon task's ARN.
func TestCollectDaemonTasksFromServe(t *testing.T) {
	srv, url := serveScenario(t, "../../examples/failures/managed-instances-public-ip.yaml")
	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	dtd, err := e.RegisterDaemonTaskDefinition(engine.RegisterDaemonTaskDefinitionInput{Family: "log-agent",
		Containers: []model.DaemonContainer{{Name: "agent", Image: "fluent-bit:3", Definition: `{"name":"agent","image":"fluent-bit:3","memory":64}`}}})
	if err != nil {
		t.Fatal(err)
	}
	var cp string
	e.Read(func(st *model.State) {
		for arn, p := range st.CapacityProviders {
			if p.Name == "mi" {
				cp = arn
			}
		}
	})
	if _, err := e.CreateDaemon(engine.DaemonInput{Name: "logs", Cluster: "demo", TaskDefinition: dtd.ARN, CapacityProviders: []string{cp}, DrainPercentUnset: true}); err != nil {
		t.Fatal(err)
	}
	daemonTask := func(st *model.State) *model.Task {
		for _, tk := range st.Tasks {
			if tk.Group == "daemon:logs" && tk.LastStatus == model.TaskRunning {
				return tk
			}
		}
		return nil
	}
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		var running bool
		e.Read(func(st *model.State) { running = daemonTask(st) != nil })
		if running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no daemon task runs")
		}
	}

	live, snap, _ := collectBoth(t, srv, url, nil)
	checkDaemonSnapshot(t, live, snap, dtd.ARN, daemonTask)

	t.Run("scripts/collect.sh", func(t *testing.T) {
		dir, b, err := runCollectScript(t, url)
		if err != nil {
			t.Fatalf("collect.sh: %v\n%s", err, b)
		}
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.Warnings {
			t.Errorf("warning: %s", w)
		}
		snap2, _ := res.Engine.Snapshot()
		checkDaemonSnapshot(t, live, snap2, dtd.ARN, daemonTask)
	})
}

// checkDaemonSnapshot compares a snapshot's daemon task, daemon task
// definition (dtdARN) and twin with the live state's.
func checkDaemonSnapshot(t *testing.T, live, snap *model.State, dtdARN string, daemonTask func(*model.State) *model.Task) {
	t.Helper()
	lt, st := daemonTask(live), daemonTask(snap)
	if lt == nil || st == nil {
		t.Fatalf("the daemon task: live %v, snapshot %v", lt, st)
	}
	if st.ARN != lt.ARN || st.TaskDefinitionARN != dtdARN || st.ContainerInstanceARN != lt.ContainerInstanceARN {
		t.Errorf("the snapshot's daemon task %s on %s of %s, live %s on %s", st.ARN, st.ContainerInstanceARN, st.TaskDefinitionARN, lt.ARN, lt.ContainerInstanceARN)
	}
	got := snap.DaemonTaskDefinitions[dtdARN]
	if got == nil || got.Family != "log-agent" || got.Revision != 1 || len(got.Containers) != 1 || got.Containers[0].Image != "fluent-bit:3" ||
		!strings.Contains(got.Containers[0].Definition, `"memory":64`) || got.RegisteredAt.IsZero() {
		t.Fatalf("the snapshot's daemon task definition: %+v", got)
	}
	twin := snap.TaskDefinitions[dtdARN]
	if twin == nil || !twin.DaemonTaskDefinition || twin.NetworkMode != model.NetworkModeHost || len(twin.Containers) != 1 || twin.Containers[0].Memory != 64 {
		t.Fatalf("the snapshot's twin: %+v", twin)
	}
}
