package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A template and a Terraform configuration deployed on a snapshot taken
// thirty days ago (--base): the header says the base's age as it says a
// snapshot SOURCE's, and the warning that it is older than --max-age comes
// first; --max-age 60d keeps the note and drops the warning; a scenario
// as the base has no age. Before round thirty-five a --base snapshot's
// age went unsaid.
func TestBaseSnapshotAge(t *testing.T) {
	taken := time.Now().Add(-30 * 24 * time.Hour).UTC().Truncate(time.Second)
	base := ageSnapshot(t, `{"tool": "scripts/collect.sh", "startedAt": "`+taken.Format(time.RFC3339)+`", "regions": ["us-east-1"], "calls": []}`)
	takenText := "--base snapshot taken " + taken.Format(time.RFC3339) + " by scripts/collect.sh, 30 days"
	const stale = "the --base snapshot is 30 days"
	tpl := filepath.Join(t.TempDir(), "vpc.yaml")
	if err := os.WriteFile(tpl, []byte("Resources:\n  Extra:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.99.0.0/16\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tf := t.TempDir()
	if err := os.WriteFile(filepath.Join(tf, "main.tf"), []byte("resource \"aws_vpc\" \"extra\" {\n  cidr_block = \"10.99.0.0/16\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{tpl, tf} {
		_, out, errs := run(t, "show", src, "--base", base)
		if !strings.Contains(out, takenText) || !strings.Contains(out+errs, stale) || !strings.Contains(out+errs, "older than --max-age 7d") {
			t.Errorf("show %s --base SNAPSHOT:\n%s\n%s", src, out, errs)
		}
		_, out, _ = run(t, "check", src, "--base", base, "--output", "json")
		var doc struct {
			Sources []checkReport `json:"sources"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Sources) != 1 || doc.Sources[0].Snapshot == nil || !doc.Sources[0].Snapshot.Base || !doc.Sources[0].Snapshot.Stale ||
			doc.Sources[0].Snapshot.TakenAt != taken.Format(time.RFC3339) || len(doc.Sources[0].Warnings) == 0 || !strings.Contains(doc.Sources[0].Warnings[0], stale) {
			t.Errorf("check %s --base SNAPSHOT --output json: %s", src, out)
		}
		_, out, errs = run(t, "show", src, "--base", base, "--max-age", "60d")
		if !strings.Contains(out, takenText) || strings.Contains(out+errs, "older than --max-age") {
			t.Errorf("show %s --base SNAPSHOT --max-age 60d:\n%s\n%s", src, out, errs)
		}
		_, out, errs = run(t, "show", src, "--base", "examples/seed/alb.yaml")
		if strings.Contains(out+errs, "snapshot taken") || strings.Contains(out+errs, "snapshot age") {
			t.Errorf("show %s --base SCENARIO says an age:\n%s\n%s", src, out, errs)
		}
	}
}
