package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestTaskRoleTrust: ecsnet skips aws_iam_role but records its name and
// assume_role_policy, so an execution role that trusts ecs.amazonaws.com
// (not ecs-tasks.amazonaws.com) leaves the service without tasks, as ECS
// would; the defaultvpc configuration's own role (ecs-tasks) runs them.
func TestTaskRoleTrust(t *testing.T) {
	src, err := os.ReadFile(repoFile("internal/terraform/testdata/defaultvpc/main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := os.ReadFile(repoFile("internal/terraform/testdata/defaultvpc/app.json.tpl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		principal string
		running   bool
	}{{"ecs-tasks.amazonaws.com", true}, {"ecs.amazonaws.com", false}} {
		dir := t.TempDir()
		main := strings.Replace(string(src), `Principal = { Service = "ecs-tasks.amazonaws.com" }`, `Principal = { Service = "`+c.principal+`" }`, 1)
		if !strings.Contains(main, c.principal) {
			t.Fatal("the configuration's trust policy moved")
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(main), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "app.json.tpl"), tpl, 0o644); err != nil {
			t.Fatal(err)
		}
		res := load(t, dir, nil)
		running, events := 0, ""
		res.Engine.Read(func(st *model.State) {
			for _, tk := range st.Tasks {
				if tk.LastStatus == model.TaskRunning {
					running++
				}
			}
			for _, s := range st.Services {
				for _, ev := range s.Events {
					events += ev.Message + "\n"
				}
			}
		})
		if (running > 0) != c.running {
			t.Errorf("execution role trusting %s: %d tasks running (events: %s)", c.principal, running, events)
		}
		if !c.running && !strings.Contains(events, "ECS was unable to assume the role 'arn:aws:iam::123456789012:role/exec-") {
			t.Errorf("execution role trusting %s: events %q, want ECS's launch failure naming the role", c.principal, events)
		}
	}
}
