package terraform_test

import (
	"os"
	"path/filepath"
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

// A configuration that manages no repository: its images in the
// account's registry are taken to exist, with a note each; every service
// runs.
func TestECRAssumedRepositories(t *testing.T) {
	b, err := os.ReadFile("testdata/ecr/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	start, end := strings.Index(src, `resource "aws_ecr_repository" "web"`), strings.Index(src, `resource "aws_vpc" "main"`)
	src = src[:start] + src[end:]
	src = strings.Replace(src, "${aws_ecr_repository.web.repository_url}", "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web", 1)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	for _, tk := range st.Tasks {
		if tk.LastStatus != model.TaskRunning {
			t.Errorf("%s %s: %s", tk.Group, tk.LastStatus, tk.StoppedReason)
		}
	}
	if len(res.Notes) != 2 {
		t.Fatalf("notes %v", res.Notes)
	}
	for _, n := range res.Notes {
		if !strings.Contains(n.Msg, "the configuration manages no ECR repository, so ecsnet takes it to exist") ||
			!(strings.Contains(n.Msg, "repository shop/web ") || strings.Contains(n.Msg, "repository shop/api ")) {
			t.Errorf("note %s", n)
		}
	}
	for _, f := range reach.Lint(reach.Compile(st)) {
		if f.Code == reach.CodeImageRepositoryNotFound {
			t.Errorf("finding %s", f.Message)
		}
	}
}
