package collect_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/cli"
	"github.com/ecsnet/ecsnet/internal/collect"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// EventBridge rules and their targets are collected by both collectors
// (list-rules of every bus, merged under "Rules" as elbv2 describe-rules'
// output is; list-targets-by-rule per rule) and read back apart from
// the load balancers' rules: the rule of
// examples/failures/analyzer-only/scheduled-awsvpc-no-network-configuration.yaml,
// which targets an awsvpc task definition without NetworkConfiguration,
// is in the snapshot with its ECS target, and `ecsnet check SNAPSHOT`
// reports ECS_SCHEDULED_TASK_REFUSED on it as on the scenario. Before
// round thirty-four no collector took the rules and the finding was lost.
func TestCollectEventRulesFromServe(t *testing.T) {
	srv, url := serveScenario(t, "../../examples/failures/analyzer-only/scheduled-awsvpc-no-network-configuration.yaml")
	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	rulesOnly := cmp.Options{cmpopts.EquateEmpty(), cmpopts.IgnoreFields(model.EventRule{}, "Created", "Tags", "Next", "Invocations", "FailedInvocations", "LastFailure", "History"),
		cmpopts.IgnoreFields(model.EventTarget{}, "Config")}
	check := func(t *testing.T, live *model.State, dir string) {
		t.Helper()
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.Warnings {
			t.Errorf("warning: %s", w)
		}
		snap, _ := res.Engine.Snapshot()
		if len(live.EventRules) == 0 {
			t.Fatal("live: no EventBridge rule")
		}
		if diff := cmp.Diff(live.EventRules, snap.EventRules, rulesOnly); diff != "" {
			t.Errorf("EventBridge rules (-live +snapshot):\n%s", diff)
		}
		if len(snap.ListenerRules) != len(live.ListenerRules) {
			t.Errorf("listener rules: live %d, snapshot %d", len(live.ListenerRules), len(snap.ListenerRules))
		}
		var stdout, stderr bytes.Buffer
		cli.Run(cli.IO{Out: &stdout, Err: &stderr}, []string{"check", dir})
		if out := stdout.String() + stderr.String(); !strings.Contains(out, "ECS_SCHEDULED_TASK_REFUSED") {
			t.Errorf("check of the snapshot does not report ECS_SCHEDULED_TASK_REFUSED:\n%s", out)
		}
	}
	out := t.TempDir()
	if _, err := collect.Run(context.Background(), collect.Options{Regions: []string{"us-east-1"}, EndpointURL: url, Out: out}); err != nil {
		t.Fatal(err)
	}
	live, _ := e.Snapshot()
	check(t, live, out)
	t.Run("Write", func(t *testing.T) {
		dir := t.TempDir()
		if err := snapshot.Write(dir, live); err != nil {
			t.Fatal(err)
		}
		check(t, live, dir)
	})
	t.Run("scripts/collect.sh", func(t *testing.T) {
		dir, b, err := runCollectScript(t, url)
		if err != nil {
			t.Fatalf("collect.sh: %v\n%s", err, b)
		}
		check(t, live, dir)
	})
}
