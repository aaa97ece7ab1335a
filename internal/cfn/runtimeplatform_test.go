package cfn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

// TestTaskDefinitionRuntimePlatform: AWS::ECS::TaskDefinition's
// RuntimePlatform reaches the task definition; a value outside ECS's enums
// fails the resource at RuntimePlatform.
func TestTaskDefinitionRuntimePlatform(t *testing.T) {
	res := loadText(t, "rp.yaml", `
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: rp
      RuntimePlatform: {CpuArchitecture: ARM64, OperatingSystemFamily: LINUX}
      ContainerDefinitions: [{Name: web, Image: nginx, Memory: 128}]
`, nil)
	td, err := res.Engine.TaskDefinition("rp")
	if err != nil {
		t.Fatal(err)
	}
	if td == nil || td.RuntimePlatform == nil || td.RuntimePlatform.CPUArchitecture != "ARM64" || td.RuntimePlatform.OperatingSystemFamily != "LINUX" || td.Architecture() != "arm64" {
		t.Fatalf("task definition = %+v", td)
	}
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte(`
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RuntimePlatform: {CpuArchitecture: arm64}
      ContainerDefinitions: [{Name: web, Image: nginx, Memory: 128}]
`), 0o644)
	_, err = cfn.Load(path, nil)
	if err == nil || !strings.Contains(err.Error(), "RuntimePlatform") || !strings.Contains(err.Error(), "Invalid cpuArchitecture arm64") {
		t.Errorf("CpuArchitecture arm64: err = %v, want one at RuntimePlatform", err)
	}
}
