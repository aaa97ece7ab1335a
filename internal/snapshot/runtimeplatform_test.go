package snapshot_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A task definition's runtimePlatform and placementConstraints, as
// describe-task-definition prints them, are read from a snapshot, and
// survive Write and Load.
func TestTaskDefinitionRuntimePlatformAndConstraints(t *testing.T) {
	st := seedState(t, "fargate")
	var arn string
	for a := range st.TaskDefinitions {
		arn = a
		break
	}
	if arn == "" {
		t.Fatal("the seed has no task definition")
	}
	dir, region := writeSnapshot(t, st)
	// Rewrite the task-definition file as describe-task-definition's
	// output, with the two fields added in AWS's spelling.
	path := filepath.Join(region, "ecs-describe-task-definition.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		TaskDefinitions []map[string]any `json:"taskDefinitions"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, d := range doc.TaskDefinitions {
		if d["taskDefinitionArn"] == arn {
			d["runtimePlatform"] = map[string]any{"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}
			d["placementConstraints"] = []any{map[string]any{"type": "memberOf", "expression": "attribute:ecs.availability-zone in [eu-west-1a]"}}
		}
	}
	out, _ := json.MarshalIndent(doc, "", "  ")
	writeFile(t, path, string(out))

	got := state(load(t, dir)).TaskDefinitions[arn]
	if got == nil {
		t.Fatalf("%s not loaded", arn)
	}
	if rp := got.RuntimePlatform; rp == nil || rp.CPUArchitecture != "ARM64" || rp.OperatingSystemFamily != "LINUX" || got.Architecture() != "arm64" {
		t.Errorf("runtimePlatform = %+v", rp)
	}
	want := model.PlacementConstraint{Type: "memberOf", Expression: "attribute:ecs.availability-zone in [eu-west-1a]"}
	if len(got.PlacementConstraints) != 1 || got.PlacementConstraints[0] != want {
		t.Errorf("placementConstraints = %+v", got.PlacementConstraints)
	}

	// And back: Write keeps them.
	st2 := state(load(t, dir))
	again, _ := roundTrip(t, st2)
	if td := again.TaskDefinitions[arn]; td.RuntimePlatform == nil || *td.RuntimePlatform != *got.RuntimePlatform || len(td.PlacementConstraints) != 1 {
		t.Errorf("after a second Write and Load: %+v %+v", td.RuntimePlatform, td.PlacementConstraints)
	}
}
