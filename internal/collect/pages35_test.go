package collect_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// The list calls that page without a paginator in the CLI's model (so that
// the aws CLI answers their first page only, and collect's model-driven
// paging did not follow them either): ecs describe-capacity-providers
// without names (10 a page, FARGATE and FARGATE_SPOT among them) and
// events list-event-buses (100 a page in ecsnet serve). With 12 Managed
// Instances providers besides FARGATE and FARGATE_SPOT and 101 custom event
// buses, the last of which has a rule, both collectors' snapshots hold
// every provider and the rule. Before round thirty-five ecsnet collect and
// collect.sh kept the first 10 providers, and collect.sh the rules of the
// first 100 buses only.
func TestCollectUnpaginatedListsFromServe(t *testing.T) {
	srv, url := serveScenario(t, "../../examples/failures/managed-instances-public-ip.yaml")
	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	var mi *model.CapacityProvider
	e.Read(func(st *model.State) {
		for _, p := range st.CapacityProviders {
			if p.Name == "mi" {
				c := *p
				mi = &c
			}
		}
	})
	if mi == nil || mi.ManagedInstances == nil {
		t.Fatal("the scenario has no Managed Instances provider mi")
	}
	// The scenario's provider names a role its IAM lacks; ECS assumes the
	// role on creation.
	role, err := e.CreateRole(engine.RoleInput{Name: "ecsInfrastructureRole35", AssumeRolePolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}`})
	if err != nil {
		t.Fatal(err)
	}
	cfg := *mi.ManagedInstances
	cfg.InfrastructureRoleARN = "arn:aws:iam::123456789012:role/" + role.Name
	for i := 0; i < 11; i++ {
		if _, err := e.CreateCapacityProvider(engine.CreateCapacityProviderInput{Name: fmt.Sprintf("mi-%02d", i), Cluster: mi.ClusterARN,
			ManagedInstances: &cfg}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 100; i++ {
		if _, err := e.CreateEventBus(model.EventBus{Name: fmt.Sprintf("bus-%03d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	// "zz-last" sorts after "default" and every bus-…: the second page.
	if _, err := e.CreateEventBus(model.EventBus{Name: "zz-last"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.PutEventRule(model.EventRule{Name: "on-last-bus", EventBus: "zz-last", EventPattern: `{"source":["my.app"]}`, State: "ENABLED"}); err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, live, snap *model.State) {
		t.Helper()
		var want, got []string
		for _, p := range live.CapacityProviders {
			want = append(want, p.Name)
		}
		for _, p := range snap.CapacityProviders {
			got = append(got, p.Name)
		}
		slices.Sort(want)
		slices.Sort(got)
		if len(want) < 12 || !slices.Equal(want, got) {
			t.Errorf("capacity providers: live %v, snapshot %v", want, got)
		}
		found := false
		for _, r := range snap.EventRules {
			found = found || r.Name == "on-last-bus" && r.EventBus == "zz-last"
		}
		if !found {
			t.Errorf("the snapshot lacks the rule of the 102nd event bus (%d rules)", len(snap.EventRules))
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
