package collect_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// daemonsOnly compares ECS Managed Daemons: what the API does not answer
// (CreateDaemon's client token and request digest) is left out (the
// daemon's tags, ListTagsForResource, are collected since round
// thirty-five), and timestamps compare
// to the millisecond (the aws CLI v1 prints ECS's epoch seconds as a
// float).
var daemonsOnly = cmp.Options{
	cmpopts.EquateEmpty(),
	cmpopts.IgnoreFields(model.Daemon{}, "ClientToken", "RequestDigest"),
	cmp.Comparer(func(a, b time.Time) bool { d := a.Sub(b); return d < time.Millisecond && d > -time.Millisecond }),
}

// An ECS Managed Daemon updated once (two revisions, two deployments),
// collected from ecsnet serve by ecsnet collect and by scripts/collect.sh:
// both snapshots hold the live daemon, its revisions (with the capacity
// providers DescribeDaemonRevisions does not name, read from
// DescribeDaemon and the deployments) and its deployments (with the daemon
// DescribeDaemonDeployments does not name), and the daemon task
// definitions of both revisions. The snapshot's engine, stepped, keeps the
// daemon's task where the emulator placed it and reserves the daemon's
// CPU and memory as the emulator does. Before round thirty-four neither
// collector took the daemons and the snapshot's engine saw daemon tasks
// without a daemon.
func TestCollectDaemonsFromServe(t *testing.T) {
	srv, url := serveScenario(t, "../../examples/failures/managed-instances-public-ip.yaml")
	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	register := func(image string) string {
		dtd, err := e.RegisterDaemonTaskDefinition(engine.RegisterDaemonTaskDefinitionInput{Family: "log-agent",
			Containers: []model.DaemonContainer{{Name: "agent", Image: image, Definition: `{"name":"agent","image":"` + image + `","memory":64}`}}})
		if err != nil {
			t.Fatal(err)
		}
		return dtd.ARN
	}
	first, second := register("fluent-bit:3"), register("fluent-bit:4")
	var cp string
	e.Read(func(st *model.State) {
		for arn, p := range st.CapacityProviders {
			if p.Name == "mi" {
				cp = arn
			}
		}
	})
	d, err := e.CreateDaemon(engine.DaemonInput{Name: "logs", Cluster: "demo", TaskDefinition: first, CapacityProviders: []string{cp}, DrainPercentUnset: true,
		PropagateTags: "DAEMON", ExecuteCommand: true, Tags: model.Tags{"team": "platform"}})
	if err != nil {
		t.Fatal(err)
	}
	settled := func(want string) {
		eventually(t, "the daemon's deployment succeeds and its task of "+want+" runs", func() bool {
			ok := false
			e.Read(func(st *model.State) {
				dm := st.Daemons[d.ARN]
				dep := st.DaemonDeployments[dm.DeploymentARN]
				for _, tk := range st.Tasks {
					if tk.Group == "daemon:logs" && tk.LastStatus == model.TaskRunning && tk.TaskDefinitionARN == want && dep != nil && dep.Status == "SUCCESSFUL" {
						ok = true
					}
				}
			})
			return ok
		})
	}
	settled(first)
	if _, _, err := e.UpdateDaemon(engine.DaemonInput{ARN: d.ARN, TaskDefinition: second, CapacityProviders: []string{cp},
		Deployment: model.DaemonDeploymentConfig{DrainPercent: 50, BakeTimeInMinutes: 0}}); err != nil {
		t.Fatal(err)
	}
	settled(second)

	check := func(t *testing.T, live, snap *model.State) {
		t.Helper()
		if len(live.Daemons) != 1 || len(live.DaemonRevisions) != 2 || len(live.DaemonDeployments) != 2 {
			t.Fatalf("live: %d daemons, %d revisions, %d deployments", len(live.Daemons), len(live.DaemonRevisions), len(live.DaemonDeployments))
		}
		for what, pair := range map[string][2]any{
			"daemons":     {live.Daemons, snap.Daemons},
			"revisions":   {live.DaemonRevisions, snap.DaemonRevisions},
			"deployments": {live.DaemonDeployments, snap.DaemonDeployments},
		} {
			if diff := cmp.Diff(pair[0], pair[1], daemonsOnly); diff != "" {
				t.Errorf("%s (-live +snapshot):\n%s", what, diff)
			}
		}
		for _, arn := range []string{first, second} {
			if snap.DaemonTaskDefinitions[arn] == nil {
				t.Errorf("the snapshot lacks daemon task definition %s", arn)
			}
		}
	}
	load := func(t *testing.T, dir string) (*model.State, *snapshot.Result) {
		t.Helper()
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.Warnings {
			t.Errorf("warning: %s", w)
		}
		st, _ := res.Engine.Snapshot()
		return st, res
	}
	out := t.TempDir()
	before := time.Now().Add(-time.Second)
	live, snap, res := collectBoth(t, srv, url, nil)
	check(t, live, snap)
	// The manifest dates the snapshot (check's header says its age).
	if res.TakenBy != "ecsnet collect" || res.TakenAt.Before(before.Truncate(time.Second)) || res.TakenAt.After(time.Now()) {
		t.Errorf("ecsnet collect's snapshot taken at %s by %q", res.TakenAt, res.TakenBy)
	}

	// The snapshot's engine, stepped, neither starts nor stops a daemon
	// task: the daemon's task is the live one.
	for i := 0; i < 3; i++ {
		if _, err := res.Engine.Step(); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := res.Engine.Snapshot()
	var liveTasks, snapTasks []string
	for _, st := range []*model.State{live, after} {
		var arns []string
		for arn, tk := range st.Tasks {
			if tk.Group == "daemon:logs" && tk.DesiredStatus == model.TaskRunning {
				arns = append(arns, arn+" on "+tk.ContainerInstanceARN+" of "+tk.TaskDefinitionARN)
			}
		}
		if st == live {
			liveTasks = arns
		} else {
			snapTasks = arns
		}
	}
	if len(liveTasks) != 1 || cmp.Diff(liveTasks, snapTasks) != "" {
		t.Errorf("the daemon's tasks: live %v, the snapshot's engine stepped %v", liveTasks, snapTasks)
	}

	t.Run("Write", func(t *testing.T) {
		if err := snapshot.Write(out, live); err != nil {
			t.Fatal(err)
		}
		got, _ := load(t, out)
		check(t, live, got)
	})
	t.Run("scripts/collect.sh", func(t *testing.T) {
		dir, b, err := runCollectScript(t, url)
		if err != nil {
			t.Fatalf("collect.sh: %v\n%s", err, b)
		}
		for _, f := range []string{"ecs-describe-daemon.json", "ecs-describe-daemon-deployments.json", "ecs-describe-daemon-revisions.json"} {
			if _, err := os.Stat(filepath.Join(dir, "aws_configs", "us-east-1", f)); err != nil {
				t.Error(err)
			}
		}
		got, res := load(t, dir)
		check(t, live, got)
		if res.TakenBy != "scripts/collect.sh" || res.TakenAt.Before(before.Truncate(time.Second)) || res.TakenAt.After(time.Now()) {
			t.Errorf("collect.sh's snapshot taken at %s by %q", res.TakenAt, res.TakenBy)
		}
	})
}

// A daemon updated 21 times has 22 deployments and 22 revisions: more
// than a page of ListDaemonDeployments (20 by default) and than one
// DescribeDaemonRevisions or DescribeDaemonDeployments request (20 ARNs).
// Both collectors follow nextToken (the CLI's model has no paginator for
// it) and describe in batches: the snapshot holds every deployment and
// revision.
func TestCollectDaemonPagesFromServe(t *testing.T) {
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
	d, err := e.CreateDaemon(engine.DaemonInput{Name: "logs", Cluster: "demo", TaskDefinition: dtd.ARN, CapacityProviders: []string{cp}, DrainPercentUnset: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 21; i++ {
		if _, _, err := e.UpdateDaemon(engine.DaemonInput{ARN: d.ARN, TaskDefinition: dtd.ARN, CapacityProviders: []string{cp}, DrainPercentUnset: true}); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "the last deployment succeeds", func() bool {
		ok := false
		e.Read(func(st *model.State) {
			dep := st.DaemonDeployments[st.Daemons[d.ARN].DeploymentARN]
			ok = dep != nil && dep.Status == "SUCCESSFUL"
		})
		return ok
	})
	check := func(t *testing.T, live, snap *model.State) {
		t.Helper()
		if len(live.DaemonDeployments) != 22 || len(live.DaemonRevisions) != 22 {
			t.Fatalf("live: %d deployments, %d revisions", len(live.DaemonDeployments), len(live.DaemonRevisions))
		}
		if diff := cmp.Diff(live.DaemonDeployments, snap.DaemonDeployments, daemonsOnly); diff != "" {
			t.Errorf("deployments (-live +snapshot):\n%s", diff)
		}
		if diff := cmp.Diff(live.DaemonRevisions, snap.DaemonRevisions, daemonsOnly); diff != "" {
			t.Errorf("revisions (-live +snapshot):\n%s", diff)
		}
		if diff := cmp.Diff(live.Daemons, snap.Daemons, daemonsOnly); diff != "" {
			t.Errorf("daemons (-live +snapshot):\n%s", diff)
		}
	}
	live, snap, _ := collectBoth(t, srv, url, nil)
	check(t, live, snap)
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
		got, _ := res.Engine.Snapshot()
		check(t, live, got)
	})
}
