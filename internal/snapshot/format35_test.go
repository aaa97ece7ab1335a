package snapshot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// A snapshot taken before describe-dhcp-options (round thirty-one) and
// describe-vpc-attribute (round thirty-four) were collected is not told
// of each as missing: one warning says its collector predates them. Which
// calls a collector knew comes from its manifest's format (written since
// round thirty-five), from the calls an ecsnet collect manifest lists,
// from scripts/collect.sh's first manifest (round thirty-four, without a
// format), or, without a manifest, from the latest output the snapshot
// holds; a partial snapshot without a manifest is told of each call.
func TestOlderCollectorQuiet(t *testing.T) {
	old := func(t *testing.T, manifest string) string {
		t.Helper()
		dir, region := writeSnapshot(t, seedState(t, "alb"))
		files, err := filepath.Glob(filepath.Join(region, "ec2-describe-vpc-attribute-*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no VPC attribute files (%v)", err)
		}
		files = append(files, filepath.Join(region, "ec2-describe-dhcp-options.json"))
		// Nor did the collector know the calls of format thirty-six and
		// later (the writer leaves out a later file it has nothing for).
		for _, f := range []string{snapshot.ECRRepositoriesFileName, snapshot.ECRImagesFileName, snapshot.CodeDeployAppsFileName, snapshot.CodeDeployGroupsFileName, snapshot.ECSPrincipalSettingsFileName} {
			files = append(files, filepath.Join(region, f))
		}
		for _, f := range []string{snapshot.ECRPullThroughFileName, snapshot.TaskSetsFileName} {
			if err := os.Remove(filepath.Join(region, f)); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}
		for _, f := range files {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
		if manifest != "" {
			writeFile(t, filepath.Join(dir, snapshot.ManifestName), manifest)
		}
		return dir
	}
	// The seed has container instances: the instance roles' settings
	// (format thirty-six) are named too.
	const dhcp, attrs, roles = "ec2 describe-dhcp-options", "ec2 describe-vpc-attribute", "ecs list-account-settings --principal-arn"
	for _, tc := range []struct {
		name, manifest string
		each, older    []string // calls warned of one by one; calls the older-collector warning names
	}{
		{name: "no manifest", older: []string{dhcp, attrs, roles}},
		{name: "format 33", manifest: `{"tool": "scripts/collect.sh", "format": 33, "regions": ["us-east-1"], "calls": []}`, each: []string{dhcp}, older: []string{attrs, roles}},
		{name: "format 35", manifest: `{"tool": "ecsnet collect", "format": 35, "regions": ["us-east-1"], "calls": []}`, each: []string{dhcp, attrs}, older: []string{roles}},
		{name: "collect.sh of round 34", manifest: `{"tool": "scripts/collect.sh", "regions": ["us-east-1"], "calls": []}`, each: []string{dhcp, attrs}, older: []string{roles}},
		{name: "ecsnet collect without format", manifest: `{"tool": "ecsnet collect", "regions": ["us-east-1"], "calls": [
			{"region": "us-east-1", "call": "ec2 describe-vpcs", "pages": 1, "items": 1},
			{"region": "us-east-1", "call": "ec2 describe-dhcp-options", "pages": 1, "items": 0, "error": "UnauthorizedOperation: not allowed"}]}`,
			each: []string{dhcp}, older: []string{attrs, roles}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := load(t, old(t, tc.manifest))
			var each []string
			var older []snapshot.Warning
			for _, w := range res.Warnings {
				switch {
				case strings.HasPrefix(w.Message, "no ec2 describe-"):
					each = append(each, strings.SplitN(strings.TrimPrefix(w.Message, "no "), " output", 2)[0])
				case strings.HasPrefix(w.Message, "taken by an older"):
					older = append(older, w)
				}
			}
			if strings.Join(each, ",") != strings.Join(tc.each, ",") {
				t.Errorf("calls warned of one by one: %v, want %v", each, tc.each)
			}
			if len(tc.older) == 0 {
				if len(older) != 0 {
					t.Errorf("older-collector warnings: %v, want none", older)
				}
				return
			}
			if len(older) != 1 || older[0].Message != "taken by an older "+map[bool]string{true: "collector", false: res.TakenBy}[res.TakenBy == ""]+": "+strings.Join(tc.older, ", ")+
				" not collected (the collector predates them); AWS's defaults are taken for what they tell: collect again for them" {
				t.Errorf("older-collector warnings: %v, want one naming %v", older, tc.older)
			}
		})
	}
	t.Run("partial, no manifest", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "aws_configs", "us-east-1", "ec2-describe-vpcs.json"), vpcsFile)
		res := load(t, dir)
		n := 0
		for _, w := range res.Warnings {
			if strings.HasPrefix(w.Message, "taken by an older") {
				t.Errorf("partial snapshot: %s", w)
			}
			if w.Message == "no "+attrs+" output: "+strings.SplitN(w.Message, "output: ", 2)[1] || strings.HasPrefix(w.Message, "no "+dhcp+" output") {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%d warnings name describe-dhcp-options and describe-vpc-attribute, want 2: %v", n, res.Warnings)
		}
	})
}
