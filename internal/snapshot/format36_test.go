package snapshot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// Format thirty-six's ECR and CodeDeploy calls are told of only where
// they matter: describe-repositories when a task definition pulls from
// an ECR private registry, batch-get-deployment-groups when a service has
// the CODE_DEPLOY controller. A snapshot of format thirty-five lacks them
// because its collector predates them (one older-collector warning); one
// of format thirty-six lacks them because the call failed (one warning
// each).
func TestFormat36CallsToldWhereTheyMatter(t *testing.T) {
	st := seedState(t, "alb")
	n := 0
	for _, td := range st.TaskDefinitions {
		for i := range td.Containers {
			td.Containers[i].Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1"
			n++
		}
	}
	cd := 0
	for _, s := range st.Services {
		s.DeploymentController = "CODE_DEPLOY"
		cd++
	}
	if n == 0 || cd == 0 {
		t.Fatalf("the seed has %d containers, %d services", n, cd)
	}
	const repos, groups = "ecr describe-repositories", "deploy batch-get-deployment-groups"
	for _, tc := range []struct {
		name, format string
		each, older  []string
	}{
		{name: "format 35", format: "35", older: []string{groups, repos}},
		{name: "format 36", format: "36", each: []string{repos, groups}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, region := writeSnapshot(t, st)
			for _, f := range []string{snapshot.ECRRepositoriesFileName, snapshot.ECRImagesFileName, snapshot.CodeDeployAppsFileName, snapshot.CodeDeployGroupsFileName} {
				if err := os.Remove(filepath.Join(region, f)); err != nil {
					t.Fatal(err)
				}
			}
			writeFile(t, filepath.Join(dir, snapshot.ManifestName), `{"tool": "ecsnet collect", "format": `+tc.format+`, "regions": ["us-east-1"], "calls": []}`)
			res := load(t, dir)
			var each, older []string
			for _, w := range res.Warnings {
				switch {
				case strings.HasPrefix(w.Message, "no ecr ") || strings.HasPrefix(w.Message, "no deploy "):
					each = append(each, strings.SplitN(strings.TrimPrefix(w.Message, "no "), " output", 2)[0])
				case strings.HasPrefix(w.Message, "taken by an older"):
					older = append(older, w.Message)
				}
			}
			if strings.Join(each, ",") != strings.Join(tc.each, ",") {
				t.Errorf("calls warned of one by one: %v, want %v", each, tc.each)
			}
			want := 0
			if len(tc.older) > 0 {
				want = 1
			}
			if len(older) != want || want == 1 && !strings.Contains(older[0], strings.Join(tc.older, ", ")+" not collected") {
				t.Errorf("older-collector warnings: %v, want %d naming %v", older, want, tc.older)
			}
		})
	}
	// Without an ECR image or a CODE_DEPLOY service, nothing is said.
	t.Run("not needed", func(t *testing.T) {
		dir, region := writeSnapshot(t, seedState(t, "alb"))
		for _, f := range []string{snapshot.ECRRepositoriesFileName, snapshot.CodeDeployGroupsFileName} {
			if err := os.Remove(filepath.Join(region, f)); err != nil {
				t.Fatal(err)
			}
		}
		writeFile(t, filepath.Join(dir, snapshot.ManifestName), `{"tool": "ecsnet collect", "format": 36, "regions": ["us-east-1"], "calls": []}`)
		for _, w := range load(t, dir).Warnings {
			if strings.Contains(w.Message, "ecr describe-repositories") || strings.Contains(w.Message, "deploy batch-get") {
				t.Errorf("warning: %s", w)
			}
		}
	})
}
