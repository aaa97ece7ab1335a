package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestTaskDefinitionPlacementConstraints: aws_ecs_task_definition's
// placement_constraints blocks reach the task definition; distinctInstance,
// which RegisterTaskDefinition refuses, fails at placement_constraints.
func TestTaskDefinitionPlacementConstraints(t *testing.T) {
	load := func(typ, expr string) (*terraform.Result, error) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
resource "aws_ecs_task_definition" "t" {
  family                = "t"
  container_definitions = jsonencode([{ name = "a", image = "x", memory = 128 }])
  placement_constraints {
    type       = "`+typ+`"
    expression = `+expr+`
  }
}
`), 0o644)
		return terraform.Load(dir, terraform.Options{})
	}
	res, err := load("memberOf", `"attribute:ecs.instance-type =~ t3.*"`)
	if err != nil {
		t.Fatal(err)
	}
	td, err := res.Engine.TaskDefinition("t")
	if err != nil {
		t.Fatal(err)
	}
	want := model.PlacementConstraint{Type: "memberOf", Expression: "attribute:ecs.instance-type =~ t3.*"}
	if len(td.PlacementConstraints) != 1 || td.PlacementConstraints[0] != want {
		t.Fatalf("placementConstraints = %+v", td.PlacementConstraints)
	}
	_, err = load("distinctInstance", "null")
	// Line 5 is the placement_constraints block.
	if err == nil || !strings.Contains(err.Error(), "main.tf:5:") || !strings.Contains(err.Error(), "distinctInstance is not supported in task definitions") {
		t.Errorf("distinctInstance: err %v, want one at placement_constraints (main.tf:5)", err)
	}
}

// TestTaskDefinitionMemberOfPlaces: a service's task goes only where its
// task definition's memberOf holds; on a configuration whose one instance
// lacks the attribute, no task runs.
func TestTaskDefinitionMemberOfPlaces(t *testing.T) {
	src, err := os.ReadFile("testdata/sweep-cloudinit/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	for expr, want := range map[string]int{"attribute:mongo == primary": 1, "attribute:mongo == secondary": 0} {
		dir := t.TempDir()
		text := strings.Replace(string(src), "attribute:mongo == primary", expr, 1)
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte(text), 0o644)
		res, err := terraform.Load(dir, terraform.Options{})
		if err != nil {
			t.Fatal(err)
		}
		st, _ := res.Engine.Snapshot()
		running := 0
		for _, tk := range st.Tasks {
			if tk.LastStatus == "RUNNING" {
				running++
			}
		}
		if running != want {
			t.Errorf("%s: %d tasks running, want %d", expr, running, want)
		}
	}
}
