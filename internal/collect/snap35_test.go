package collect_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// Route 53 health checks (which decide failover, weighted and multivalue
// answers: an inverted check reads unhealthy) and the ECS account settings
// (awsvpcTrunking decides the awsvpc tasks an instance takes) are
// collected by both collectors and read back: the snapshot holds every
// health check as the emulator does (105 of them: more than a page of
// ListHealthChecks, 100) and the same effective value of every account
// setting (14 settings: more than a page of ListAccountSettings, 10), and
// snapshot.Write's files read back the same. Before round thirty-five
// neither collector took them: a snapshot's checks were missing (taken as
// healthy) and its settings ECS's defaults.
func TestCollectHealthChecksAndAccountSettingsFromServe(t *testing.T) {
	srv, url := serveScenario(t, "../../examples/seed/alb.yaml")
	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	child, _, err := e.CreateHealthCheck("child", model.Route53HealthCheckConfig{Type: "HTTPS", FQDN: "api.example.com", Port: 443, ResourcePath: "/health",
		RequestInterval: 10, FailureThreshold: 2, EnableSNI: true, Regions: []string{"us-east-1", "us-west-2", "eu-west-1"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []model.Route53HealthCheckConfig{
		{Type: "TCP", IPAddress: "192.0.2.10", Port: 5432, Inverted: true, RequestInterval: 30, FailureThreshold: 3},
		{Type: "CALCULATED", HealthThreshold: 1, ChildHealthChecks: []string{child.ID}},
		{Type: "CLOUDWATCH_METRIC", AlarmName: "api-5xx", AlarmRegion: "us-east-1", InsufficientDataHealthStatus: "LastKnownStatus"},
	} {
		if _, _, err := e.CreateHealthCheck("ref-"+c.Type, c); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 101; i++ {
		if _, _, err := e.CreateHealthCheck(fmt.Sprintf("bulk-%03d", i), model.Route53HealthCheckConfig{Type: "HTTP", IPAddress: fmt.Sprintf("198.51.100.%d", i+1),
			Port: 80, RequestInterval: 30, FailureThreshold: 3}); err != nil {
			t.Fatal(err)
		}
	}
	for name, value := range map[string]string{"awsvpcTrunking": "enabled", "containerInsights": "enhanced", "fargateTaskRetirementWaitPeriod": "14"} {
		if _, err := e.PutAccountSetting(name, value, ""); err != nil {
			t.Fatal(err)
		}
	}
	// Tags: the child's (format thirty-six: list-tags-for-resources, 10
	// ids a call, 11 calls for 105 checks).
	if err := e.ChangeHealthCheckTags(child.ID, model.Tags{"team": "edge", "Name": "child"}, nil); err != nil {
		t.Fatal(err)
	}
	checksOnly := cmp.Options{cmpopts.EquateEmpty()}
	check := func(t *testing.T, live, snap *model.State) {
		t.Helper()
		if len(live.HealthChecks) != 105 {
			t.Fatalf("live: %d health checks", len(live.HealthChecks))
		}
		if diff := cmp.Diff(live.HealthChecks, snap.HealthChecks, checksOnly); diff != "" {
			t.Errorf("health checks (-live +snapshot):\n%s", diff)
		}
		for _, n := range engine.SettingNames() {
			if l, s := engine.AccountSetting(live, n, ""), engine.AccountSetting(snap, n, ""); l != s {
				t.Errorf("account setting %s: live %q, snapshot %q", n, l, s)
			}
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
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.Warnings {
			t.Errorf("warning: %s", w)
		}
		got, _ := res.Engine.Snapshot()
		check(t, live, got)
		// The script's manifest says the format version ecsnet collect's
		// does (the calls both know).
		b, err = os.ReadFile(filepath.Join(dir, snapshot.ManifestName))
		if err != nil {
			t.Fatal(err)
		}
		var m snapshot.Manifest
		if err := json.Unmarshal(b, &m); err != nil || m.Format != snapshot.FormatVersion {
			t.Errorf("collect.sh's manifest: format %d, want %d (%v)", m.Format, snapshot.FormatVersion, err)
		}
	})
}
