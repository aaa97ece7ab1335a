package fix_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// A service whose image names a repository of the account that the
// configuration does not create: the probe to it names
// ECS_IMAGE_REPOSITORY_NOT_FOUND, and the verified fix creates the
// repository and redeploys the service.
func TestMissingRepositoryFix(t *testing.T) {
	res, err := terraform.Load("../terraform/testdata/ecr", terraform.Options{EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
	if err != nil {
		t.Fatal(err)
	}
	fixes, r, err := fix.Find(res.Engine, "web", "api:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Reachable || !r.HasCode(reach.CodeImageRepositoryNotFound) {
		t.Fatalf("%s: %s", r.Verdict, r.Summary)
	}
	if len(fixes) == 0 {
		t.Fatal("no verified fix")
	}
	f := fixes[0]
	if !strings.Contains(f.Title, "Create the ECR repository shop/api") || f.Commands[0] != "aws ecr create-repository --repository-name shop/api" ||
		!f.Verification.Verdict.Reachable() {
		t.Errorf("first fix = %s %v %+v", f.Title, f.Commands, f.Verification)
	}
	// The fix was made on a copy: the configuration's engine still has no
	// such repository.
	res.Engine.Read(func(st *model.State) {
		if st.Repositories["shop/api"] != nil {
			t.Error("the fix changed the source's engine")
		}
	})
}

// A service whose image's tag its repository does not hold, once the
// repository records images (PutImage): its new tasks stop, the probe to
// it names ECS_IMAGE_TAG_NOT_FOUND, and the verified fix runs the
// repository's newest tag.
func TestMissingImageTagFix(t *testing.T) {
	res, err := terraform.Load("../terraform/testdata/ecr", terraform.Options{EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Engine
	manifest := `{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":10,"digest":"sha256:cccc"},"layers":[]}`
	if _, err := e.PutImage(engine.PutImageInput{Name: "shop/web", Manifest: manifest, Tag: "2"}); err != nil {
		t.Fatal(err)
	}
	// The running task goes; the one that replaces it pulls shop/web:1.
	for _, n := range []int{0, 1} {
		if _, err := e.UpdateService(engine.UpdateServiceInput{Cluster: "shop", Service: "web", DesiredCount: &n}); err != nil {
			t.Fatal(err)
		}
		if err := e.Converge(); err != nil {
			t.Fatal(err)
		}
	}
	fixes, r, err := fix.Find(e, "worker", "web:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Reachable || !r.HasCode(reach.CodeImageTagNotFound) {
		t.Fatalf("%s: %s", r.Verdict, r.Summary)
	}
	if len(fixes) == 0 || !strings.Contains(fixes[0].Title, ":2 (the newest tag of shop/web)") || !fixes[0].Verification.Verdict.Reachable() {
		var titles []string
		for _, f := range fixes {
			titles = append(titles, f.Title)
		}
		t.Fatalf("fixes %q", titles)
	}
}

// An EXTERNAL service (task sets) whose image's repository is missing:
// the fix creates the repository and redeploys by a replacing task set
// (UpdateService refuses a service of task sets' deployment), verified.
func TestMissingRepositoryFixTaskSet(t *testing.T) {
	sc, err := scenario.Parse("external.yaml", []byte(taskSetMissingRepo(t)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	e := b.Engine
	// The registry is modelled once it holds a repository: the service's
	// next task set pulls shop/api, which it does not hold.
	if _, err := e.CreateRepository(engine.CreateRepositoryInput{Name: "shop/web"}); err != nil {
		t.Fatal(err)
	}
	var ts model.TaskSet
	e.Read(func(st *model.State) {
		for _, s := range st.Services {
			if s.Name == "web" {
				ts = s.TaskSets[0]
			}
		}
	})
	scale := 100.0
	_, set, err := e.CreateTaskSet(engine.CreateTaskSetInput{Cluster: "demo", Service: "web", TaskDefinition: ts.TaskDefinitionARN, LaunchType: ts.LaunchType,
		Network: ts.Network, LoadBalancers: ts.LoadBalancers, Scale: &scale})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.UpdateServicePrimaryTaskSet("demo", "web", set.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.DeleteTaskSet("demo", "web", ts.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	fixes, r, err := fix.Find(e, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Reachable {
		t.Fatalf("%s: %s", r.Verdict, r.Summary)
	}
	for _, f := range fixes {
		if strings.Contains(f.Title, "Create the ECR repository shop/api") {
			if !f.Verification.Verdict.Reachable() || !slices.ContainsFunc(f.Commands, func(c string) bool { return strings.Contains(c, "create-task-set") }) ||
				slices.ContainsFunc(f.Commands, func(c string) bool { return strings.Contains(c, "update-service ") }) {
				t.Errorf("the repository fix: %v %+v", f.Commands, f.Verification)
			}
			return
		}
	}
	t.Errorf("no repository fix among %d: %s", len(fixes), r.Summary)
}

func taskSetMissingRepo(t *testing.T) string {
	b, err := os.ReadFile("../../examples/failures/external-task-set-sg-wrong-port.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	s = s[:strings.Index(s, "expect:")]
	s = strings.Replace(s, "public.ecr.aws/docker/library/node:20", "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:1", 1)
	return strings.Replace(s, "ports: 80, group: alb-sg", "ports: 8080, group: alb-sg", 1)
}
