package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

func docker0Engine(t *testing.T) *engine.Engine {
	t.Helper()
	sc, err := scenario.Load("../../examples/failures/docker0-bip-without-restart.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	return b.Engine
}

func docker0Probe(t *testing.T, e *engine.Engine) *reach.Result {
	t.Helper()
	st, _ := e.Snapshot()
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, "node-0", "db-host:22", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	return reach.Probe(n, q)
}

// TestDocker0FixMovesTheBridge: the verified fix for docker0 taking the
// VPC's addresses is a cloud boothook that writes a bip outside every
// VPC, in the user data of the stopped instance; after it the service's
// bridge task runs on the instance again (docker0 is up) and the probe
// connects. Stopping and starting the instance alone changes nothing.
func TestDocker0FixMovesTheBridge(t *testing.T) {
	e := docker0Engine(t)
	fixes, res, err := fix.Find(e, "node-0", "db-host:22", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.NoRoute {
		t.Fatalf("before: %s: %s", res.Verdict, res.Summary)
	}
	var f *fix.Fix
	for i := range fixes {
		if fixes[i].Kind == "user-data" {
			f = &fixes[i]
		}
	}
	if f == nil {
		t.Fatalf("no user-data fix among %d", len(fixes))
	}
	cmds := strings.Join(f.Commands, "\n")
	for _, want := range []string{"stop-instances", "#cloud-boothook", `"bip": "192.168.254.1/24"`, "--attribute userData", "start-instances", "ECS_CLUSTER=demo"} {
		if !strings.Contains(cmds, want) {
			t.Errorf("commands lack %q:\n%s", want, cmds)
		}
	}
	if !strings.Contains(f.Scenario, "#cloud-boothook") {
		t.Errorf("scenario %q", f.Scenario)
	}
	if err := f.Apply(e); err != nil {
		t.Fatal(err)
	}
	if r := docker0Probe(t, e); r.Verdict != reach.Connected {
		t.Errorf("after the fix: %s: %s", r.Verdict, r.Summary)
	}
	st, _ := e.Snapshot()
	bridged := 0
	for _, tk := range st.Tasks {
		if ci := st.ContainerInstances[tk.ContainerInstanceARN]; ci != nil && tk.Active() && tk.NetworkMode == model.NetworkModeBridge {
			if i := st.Instances[ci.EC2InstanceID]; i != nil && i.Tags.Name() == "node-0" {
				bridged++
				if got := i.DockerBridge().String(); got != "192.168.254.1/24" {
					t.Errorf("node-0's docker0 = %s", got)
				}
			}
		}
	}
	if bridged == 0 {
		t.Error("no bridge task on node-0 after the fix: the probe proves nothing")
	}

	// The counterfactual: a restart without the boothook.
	e = docker0Engine(t)
	var id model.InstanceID
	st, _ = e.Snapshot()
	for _, i := range st.Instances {
		if i.Tags.Name() == "node-0" {
			id = i.ID
		}
	}
	if _, err := e.StopInstances([]model.InstanceID{id}); err != nil {
		t.Fatal(err)
	}
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.StartInstances([]model.InstanceID{id}); err != nil {
		t.Fatal(err)
	}
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	if r := docker0Probe(t, e); r.Verdict != reach.NoRoute {
		t.Errorf("a restart alone: %s: %s", r.Verdict, r.Summary)
	}
}
