package terraform_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestECRRepositories: aws_ecr_repository and aws_ecr_lifecycle_policy
// create the repository; a service whose image names a repository of the
// account that the configuration does not create cannot start
// (ECS_IMAGE_REPOSITORY_NOT_FOUND, its tasks stopped with ECR's "not
// found"); the one whose repository exists runs, as does the one whose
// image is in another account's registry.
func TestECRRepositories(t *testing.T) {
	res := load(t, "testdata/ecr", nil)
	st, _ := res.Engine.Snapshot()
	r := st.Repositories["shop/web"]
	if r == nil || r.TagMutability != "IMMUTABLE" || !r.ScanOnPush || r.Tags["team"] != "shop" || !strings.Contains(r.LifecyclePolicy, "imageCountMoreThan") {
		t.Fatalf("repository %+v", r)
	}
	if len(st.Repositories) != 1 {
		t.Errorf("repositories %d", len(st.Repositories))
	}
	running := map[string]int{}
	var stopped []string
	for _, tk := range st.Tasks {
		name := tk.Group
		if tk.LastStatus == model.TaskRunning {
			running[name]++
		} else if tk.LastStatus == model.TaskStopped {
			stopped = append(stopped, name+": "+tk.StoppedReason)
		}
	}
	if running["service:web"] != 1 || running["service:worker"] != 1 || running["service:api"] != 0 {
		t.Errorf("running %v", running)
	}
	ref := "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:1"
	want := "service:api: CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + ref + ": " + ref + ": not found"
	if len(stopped) == 0 || stopped[0] != want {
		t.Errorf("stopped %q", stopped)
	}
	var found []string
	for _, f := range reach.Lint(reach.Compile(st)) {
		if f.Code == reach.CodeImageRepositoryNotFound {
			found = append(found, f.Resource.Label()+": "+f.Fix)
		}
	}
	if len(found) != 1 || !strings.Contains(found[0], "create the repository shop/api") {
		t.Errorf("findings %q", found)
	}
}
