package cfn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestTaskDefinitionPlacementConstraints: AWS::ECS::TaskDefinition's
// PlacementConstraints reach the task definition (where placement reads
// them with the request's); distinctInstance, which RegisterTaskDefinition
// refuses, fails the resource at PlacementConstraints.
func TestTaskDefinitionPlacementConstraints(t *testing.T) {
	res := loadText(t, "pc.yaml", `
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: pc
      PlacementConstraints:
        - {Type: memberOf, Expression: "attribute:ecs.availability-zone in [us-east-1a]"}
      ContainerDefinitions: [{Name: web, Image: nginx, Memory: 128}]
`, nil)
	td, err := res.Engine.TaskDefinition("pc")
	if err != nil {
		t.Fatal(err)
	}
	want := model.PlacementConstraint{Type: "memberOf", Expression: "attribute:ecs.availability-zone in [us-east-1a]"}
	if len(td.PlacementConstraints) != 1 || td.PlacementConstraints[0] != want {
		t.Fatalf("placementConstraints = %+v", td.PlacementConstraints)
	}
	if _, raw := td.Raw["placementConstraints"]; raw {
		t.Error("placementConstraints also kept as raw data")
	}
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte(`
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      PlacementConstraints: [{Type: distinctInstance}]
      ContainerDefinitions: [{Name: web, Image: nginx, Memory: 128}]
`), 0o644)
	_, err = cfn.Load(path, nil)
	if err == nil || !strings.Contains(err.Error(), "PlacementConstraints") || !strings.Contains(err.Error(), "distinctInstance is not supported in task definitions") {
		t.Errorf("distinctInstance: err = %v, want one at PlacementConstraints", err)
	}
}
