package snapshot_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// copyDir copies the files of one folder into another.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(to, e.Name()), string(b))
	}
}

func layoutWarnings(res *snapshot.Result) []string {
	var out []string
	for _, w := range res.Warnings {
		if w.Code == snapshot.CodeLayout {
			out = append(out, w.Message)
		}
	}
	return out
}

func TestLayouts(t *testing.T) {
	st := seedState(t, "article")
	_, region := writeSnapshot(t, st)

	t.Run("a folder of JSON files: the region is guessed, or given", func(t *testing.T) {
		dir := t.TempDir()
		copyDir(t, region, dir)
		res := load(t, dir)
		if res.Region != "us-east-1" || len(layoutWarnings(res)) != 1 || !strings.Contains(layoutWarnings(res)[0], "guessed") {
			t.Errorf("region %s, layout warnings %v", res.Region, layoutWarnings(res))
		}
		res = load(t, dir, snapshot.WithRegion("us-east-1"))
		if res.Region != "us-east-1" || len(layoutWarnings(res)) != 0 {
			t.Errorf("region %s, layout warnings %v", res.Region, layoutWarnings(res))
		}
	})
	t.Run("a region folder itself", func(t *testing.T) {
		res := load(t, region)
		if res.Region != "us-east-1" || len(res.Warnings) != 0 {
			t.Errorf("region %s, warnings %v", res.Region, res.Warnings)
		}
	})
	t.Run("a folder of region folders", func(t *testing.T) {
		dir := t.TempDir()
		copyDir(t, region, filepath.Join(dir, "us-east-1"))
		other := seedState(t, "fargate")
		other.Region = "eu-west-1"
		odir, oregion := writeSnapshot(t, other)
		_ = odir
		copyDir(t, oregion, filepath.Join(dir, "eu-west-1"))
		writeFile(t, filepath.Join(dir, "notes", "x.json"), "{}")
		res := load(t, dir)
		if strings.Join(res.Regions, ",") != "eu-west-1,us-east-1" || res.Region != "eu-west-1" {
			t.Errorf("regions %v, engine %s", res.Regions, res.Region)
		}
		if w := layoutWarnings(res); len(w) != 2 || !strings.Contains(w[0], "not a region name") || !strings.Contains(w[1], "2 regions") {
			t.Errorf("layout warnings %q", w)
		}
		res = load(t, dir, snapshot.WithRegion("us-east-1"))
		if res.Region != "us-east-1" || probe(t, state(res), "internet", "203.0.113.2:3000").Verdict != "timeout" {
			t.Errorf("WithRegion(us-east-1) gave %s", res.Region)
		}
		if _, err := snapshot.Load(dir, snapshot.WithRegion("ap-south-1")); err == nil || !strings.Contains(err.Error(), "no region ap-south-1") {
			t.Errorf("an absent region: %v", err)
		}
	})
}

// A snapshot in Batfish's own shape loads: files named by their key, load
// balancer listeners and target health in Batfish's wrapper lists, keys
// Batfish ignores (AvailabilityZones), and ECS timestamps as the aws CLI
// v1 prints them (seconds since the epoch).
func TestBatfishSnapshot(t *testing.T) {
	st := seedState(t, "alb")
	_, region := writeSnapshot(t, st)
	dir := t.TempDir()
	out := filepath.Join(dir, "aws_configs", "us-east-1")
	entries, err := os.ReadDir(region)
	if err != nil {
		t.Fatal(err)
	}
	listeners := map[string][]any{}
	var health []any
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(region, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		switch {
		case e.Name() == "ec2-describe-managed-prefix-lists.json" || strings.HasPrefix(e.Name(), "ec2-get-managed-prefix-list-entries-"):
			// Not in Batfish's layout (the seed's lists are AWS's).
			continue
		case strings.HasPrefix(e.Name(), "elbv2-describe-target-health"):
			health = append(health, m)
			continue
		case e.Name() == "elbv2-describe-listeners.json":
			for _, l := range m["Listeners"].([]any) {
				lb := l.(map[string]any)["LoadBalancerArn"].(string)
				delete(l.(map[string]any), "LoadBalancerArn")
				listeners[lb] = append(listeners[lb], l)
			}
			continue
		case strings.HasPrefix(e.Name(), "ecs-"):
			epochTimes(m)
		}
		for k := range m {
			if k != "failures" {
				writeJSON(t, filepath.Join(out, k+".json"), m)
			}
		}
	}
	var sets []any
	for lb, ls := range listeners {
		sets = append(sets, map[string]any{"LoadBalancerArn": lb, "Listeners": ls})
	}
	writeJSON(t, filepath.Join(out, "LoadBalancerListeners.json"), map[string]any{"LoadBalancerListeners": sets})
	writeJSON(t, filepath.Join(out, "LoadBalancerTargetHealth.json"), map[string]any{"LoadBalancerTargetHealth": health})
	writeJSON(t, filepath.Join(out, "AvailabilityZones.json"), map[string]any{"AvailabilityZones": []any{map[string]any{"ZoneName": "us-east-1a"}}})

	res := load(t, dir)
	if len(res.Warnings) != 0 {
		t.Errorf("warnings: %v", res.Warnings)
	}
	if diff := cmp.Diff(st, state(res), describeOnly); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	if v := probe(t, state(res), "internet", "web-alb:80").Verdict; v != "http 200" {
		t.Errorf("internet → web-alb:80 = %s", v)
	}
}

// epochTimes turns every ISO timestamp ending in +00:00 into seconds since
// the epoch, as the aws CLI v1 prints JSON-protocol timestamps.
func epochTimes(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, y := range x {
			if s, ok := y.(string); ok && strings.HasSuffix(s, "+00:00") {
				if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
					x[k] = float64(tm.UnixMicro()) / 1e6
				}
				continue
			}
			epochTimes(y)
		}
	case []any:
		for _, y := range x {
			epochTimes(y)
		}
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, string(b))
}
