package cfn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestECRRepositories: AWS::ECR::Repository creates the repository (Ref
// its name, Arn and RepositoryUri ECR's); a service whose image names a
// repository of the account the template does not create cannot start
// (ECS_IMAGE_REPOSITORY_NOT_FOUND); the one whose repository exists runs.
func TestECRRepositories(t *testing.T) {
	res := load(t, "internal/cfn/testdata/ecr/repositories.yaml", nil)
	st := state(res)
	web := st.Repositories["shop/web"]
	if web == nil || web.TagMutability != "IMMUTABLE" || !web.ScanOnPush || !strings.Contains(web.Policy, `"Sid":"pull"`) || web.LifecyclePolicy == "" {
		t.Fatalf("shop/web %+v", web)
	}
	if len(st.Repositories) != 2 {
		t.Errorf("repositories %d", len(st.Repositories))
	}
	for name := range st.Repositories {
		if name != "shop/web" && (name != strings.ToLower(name) || engine.CheckRepositoryName(name) != nil) {
			t.Errorf("generated name %q", name)
		}
	}
	if n := len(runningTasks(st, "web")); n != 1 {
		t.Errorf("web: %d running", n)
	}
	if n := len(runningTasks(st, "api")); n != 0 {
		t.Errorf("api: %d running", n)
	}
	var found []string
	for _, f := range reach.Lint(reach.Compile(st)) {
		if f.Code == reach.CodeImageRepositoryNotFound {
			found = append(found, f.Resource.Label())
		}
	}
	if len(found) != 1 || found[0] != "api" {
		t.Errorf("findings %q", found)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "takes it to exist") {
			t.Errorf("note in a template that manages repositories: %s", w)
		}
	}
}

// A template that manages no repository: its images in the account's
// registry are taken to exist, with a note; nothing is flagged.
func TestECRAssumedRepository(t *testing.T) {
	b, err := os.ReadFile(repoFile("internal/cfn/testdata/ecr/repositories.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := string(b)
	start, end := strings.Index(tmpl, "  WebRepo:"), strings.Index(tmpl, "  Vpc:")
	tmpl = tmpl[:start] + tmpl[end:]
	tmpl = strings.Replace(tmpl, `!Sub "${WebRepo.RepositoryUri}:1"`, `!Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/shop/web:1"`, 1)
	tmpl = tmpl[:strings.Index(tmpl, "Outputs:")]
	path := filepath.Join(t.TempDir(), "norepo.yaml")
	if err := os.WriteFile(path, []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := cfn.Load(path, nil, engine.WithStartCheck(reach.StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	st := state(res)
	for _, s := range []string{"web", "api"} {
		if n := len(runningTasks(st, s)); n != 1 {
			t.Errorf("%s: %d running", s, n)
		}
	}
	notes := 0
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "creates no ECR repository, so ecsnet takes it to exist") {
			if !w.Detail {
				t.Errorf("not a note: %s", w)
			}
			notes++
		}
	}
	if notes != 2 {
		t.Errorf("%d notes, want 2: %v", notes, res.Warnings)
	}
}
