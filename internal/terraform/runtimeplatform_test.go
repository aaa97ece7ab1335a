package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestTaskDefinitionRuntimePlatform: aws_ecs_task_definition's
// runtime_platform block reaches the task definition; a value outside
// ECS's enums fails the resource at runtime_platform.
func TestTaskDefinitionRuntimePlatform(t *testing.T) {
	load := func(arch string) (*terraform.Result, error) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
resource "aws_ecs_task_definition" "t" {
  family                   = "t"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions    = jsonencode([{ name = "a", image = "x" }])
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "`+arch+`"
  }
}
`), 0o644)
		return terraform.Load(dir, terraform.Options{})
	}
	res, err := load("ARM64")
	if err != nil {
		t.Fatal(err)
	}
	td, err := res.Engine.TaskDefinition("t")
	if err != nil {
		t.Fatal(err)
	}
	if rp := td.RuntimePlatform; rp == nil || rp.CPUArchitecture != "ARM64" || rp.OperatingSystemFamily != "LINUX" {
		t.Fatalf("runtimePlatform = %+v, want ARM64/LINUX", rp)
	}
	res, err = load("AMD64")
	// Line 9 is the runtime_platform block.
	if err == nil || !strings.Contains(err.Error(), "main.tf:9:") || !strings.Contains(err.Error(), "Invalid cpuArchitecture AMD64") {
		t.Errorf("cpu_architecture AMD64: err %v, want one at runtime_platform (main.tf:9)", err)
	}
}
