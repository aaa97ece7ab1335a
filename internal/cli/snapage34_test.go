package cli

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// ageSnapshot writes examples/seed/alb.yaml as a snapshot (an absolute
// path: run changes directory) with, when manifest is not "", that
// ecsnet-collect.json.
func ageSnapshot(t *testing.T, manifest string) string {
	t.Helper()
	sc, err := scenario.Load("../../examples/seed/alb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	built, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := built.Engine.Snapshot()
	dir := t.TempDir()
	if err := snapshot.Write(dir, st); err != nil {
		t.Fatal(err)
	}
	if manifest != "" {
		if err := os.WriteFile(filepath.Join(dir, snapshot.ManifestName), []byte(manifest), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A snapshot taken thirty days ago: check, probe and show say when it was
// taken and by what in their header, and warn that it is older than
// --max-age (7d by default), in text, JSON, SARIF (a warning
// notification of the run's invocation, valid SARIF 2.1.0) and JUnit (the
// suite's properties); --max-age 60d does not warn, nor does 0.
func TestSnapshotAgeStale(t *testing.T) {
	taken := time.Now().Add(-30 * 24 * time.Hour).UTC().Truncate(time.Second)
	dir := ageSnapshot(t, `{"tool": "ecsnet collect", "startedAt": "`+taken.Format(time.RFC3339)+`", "regions": ["us-east-1"], "calls": []}`)
	takenText := "snapshot taken " + taken.Format(time.RFC3339) + " by ecsnet collect, 30 days"
	const stale = "older than --max-age 7d"

	_, out, errs := run(t, "check", dir)
	if !strings.Contains(out, takenText) || !strings.Contains(out+errs, stale) {
		t.Errorf("check:\n%s\n%s", out, errs)
	}
	_, out, _ = run(t, "check", dir, "--output", "json")
	var doc struct {
		Sources []checkReport `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Sources) != 1 || doc.Sources[0].Snapshot == nil || !doc.Sources[0].Snapshot.Stale || doc.Sources[0].Snapshot.TakenAt != taken.Format(time.RFC3339) ||
		doc.Sources[0].Snapshot.AgeSeconds == nil || *doc.Sources[0].Snapshot.AgeSeconds < 30*24*3600 || doc.Sources[0].Snapshot.MaxAgeSeconds != 7*24*3600 ||
		len(doc.Sources[0].Warnings) == 0 || !strings.Contains(doc.Sources[0].Warnings[0], stale) {
		t.Errorf("check --output json: %s", out)
	}

	_, out, _ = run(t, "check", dir, "--output", "sarif")
	validateSARIF(t, out)
	var log struct {
		Runs []struct {
			Invocations []sarifInvocation `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 || len(log.Runs[0].Invocations[0].ToolExecutionNotifications) != 1 ||
		log.Runs[0].Invocations[0].ToolExecutionNotifications[0].Level != "warning" ||
		!strings.Contains(log.Runs[0].Invocations[0].ToolExecutionNotifications[0].Message.Text, stale) {
		t.Errorf("check --output sarif: %s", out)
	}

	_, out, _ = run(t, "check", dir, "--output", "junit")
	var suites junitSuites
	if err := xml.Unmarshal([]byte(out), &suites); err != nil {
		t.Fatal(err)
	}
	props := map[string]string{}
	if len(suites.Suites) == 1 && suites.Suites[0].Properties != nil {
		for _, p := range suites.Suites[0].Properties.Property {
			props[p.Name] = p.Value
		}
	}
	if props["snapshot.stale"] != "true" || props["snapshot.takenAt"] != taken.Format(time.RFC3339) || !strings.Contains(props["snapshot.note"], takenText) {
		t.Errorf("check --output junit: %s", out)
	}

	_, out, errs = run(t, "probe", dir, "--from", "internet", "--to", "web-alb")
	if !strings.Contains(out, takenText) || !strings.Contains(errs, stale) {
		t.Errorf("probe:\n%s\n%s", out, errs)
	}
	_, out, _ = run(t, "probe", dir, "--from", "internet", "--to", "web-alb", "--output", "json")
	var pr probeReport
	if err := json.Unmarshal([]byte(out), &pr); err != nil || pr.Snapshot == nil || !pr.Snapshot.Stale {
		t.Errorf("probe --output json (%v): %s", err, out)
	}
	_, out, errs = run(t, "show", dir)
	if !strings.Contains(out, takenText) || !strings.Contains(errs, stale) {
		t.Errorf("show:\n%s\n%s", out, errs)
	}
	_, out, _ = run(t, "show", dir, "--output", "json")
	var sd systemDoc
	if err := json.Unmarshal([]byte(out), &sd); err != nil || sd.Snapshot == nil || !sd.Snapshot.Stale {
		t.Errorf("show --output json (%v): %s", err, out)
	}

	for _, max := range []string{"60d", "0"} {
		_, out, errs = run(t, "check", dir, "--max-age", max)
		if !strings.Contains(out, takenText) || strings.Contains(out+errs, "older than --max-age") {
			t.Errorf("check --max-age %s:\n%s\n%s", max, out, errs)
		}
	}
	if code, _, errs := run(t, "check", dir, "--max-age", "a week"); code != ExitBadInput || !strings.Contains(errs, "is not an age") {
		t.Errorf("--max-age 'a week': exit %d: %s", code, errs)
	}
}

// A snapshot that records no time of collection (no manifest, as
// snapshots before round thirty-four taken by scripts/collect.sh) says
// "age unknown" once, as a note, not a warning or an error; a scenario
// file says nothing of an age.
func TestSnapshotAgeUnknown(t *testing.T) {
	dir := ageSnapshot(t, "")
	code, out, errs := run(t, "check", dir)
	if code != ExitOK || strings.Count(out+errs, "age unknown") != 1 || strings.Contains(out+errs, "warning: snapshot age") {
		t.Errorf("check: exit %d\n%s\n%s", code, out, errs)
	}
	_, out, _ = run(t, "check", dir, "--output", "json")
	var doc struct {
		Sources []checkReport `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if a := doc.Sources[0].Snapshot; a == nil || a.Stale || a.AgeSeconds != nil || a.TakenAt != "" || !strings.Contains(a.Note, "age unknown") {
		t.Errorf("check --output json: %s", out)
	}
	_, out, _ = run(t, "check", "examples/seed/alb.yaml", "--output", "json")
	if strings.Contains(out, `"snapshot"`) {
		t.Errorf("a scenario has an age: %s", out)
	}
}

// validateSARIF checks a log against SARIF 2.1.0's schema.
func validateSARIF(t *testing.T, out string) {
	t.Helper()
	c := jsonschema.NewCompiler()
	f, err := os.Open(sarifSchema)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("sarif.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(v); err != nil {
		t.Errorf("not valid SARIF 2.1.0: %v", err)
	}
}
