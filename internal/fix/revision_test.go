package fix_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// TestFixRevisionKeepsTaskDefinition checks that a fix which publishes a
// new task definition revision starts from the revision it copies, as
// the console's "Create new revision" does: the runtime platform and the
// fields ecsnet does not model stay, only the fixed container changes.
func TestFixRevisionKeepsTaskDefinition(t *testing.T) {
	sc, err := scenario.Load(filepath.Join("../../examples/failures", "logs-other-region.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	e := b.Engine
	var td *model.TaskDefinition
	e.Read(func(st *model.State) {
		for _, x := range st.TaskDefinitions {
			if x.Family == "web" {
				td = x
			}
		}
	})
	if td == nil {
		t.Fatal("no task definition web")
	}
	in := engine.RegisterTaskDefinitionInput{Family: td.Family, NetworkMode: string(td.NetworkMode), Containers: td.Containers, CPU: td.CPU, Memory: td.Memory,
		ExecutionRoleARN: td.ExecutionRoleARN, RequiresCompatibilities: []string{"FARGATE"}, RuntimePlatform: &model.RuntimePlatform{CPUArchitecture: "ARM64", OperatingSystemFamily: "LINUX"},
		Raw: map[string]any{"ephemeralStorage": map[string]any{"sizeInGiB": 30.0}}}
	arm, err := e.RegisterTaskDefinition(in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.UpdateService(engine.UpdateServiceInput{Cluster: "demo", Service: "web", TaskDefinition: arm.ARN}); err != nil {
		t.Fatal(err)
	}
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	x := sc.Expect[len(sc.Expect)-1]
	fixes, _, err := fix.Find(e, x.From, x.To, x.Protocol, fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixes {
		if f.Kind != "task-definition" || !strings.Contains(f.Title, "awslogs-region") {
			continue
		}
		c := e.Clone()
		if err := f.Apply(c); err != nil {
			t.Fatal(err)
		}
		var got *model.TaskDefinition
		c.Read(func(st *model.State) {
			for _, s := range st.Services {
				if s.Name == "web" {
					got = st.TaskDefinitions[s.TaskDefinitionARN]
				}
			}
		})
		if got == nil || got.ARN == arm.ARN {
			t.Fatalf("the fix published no new revision for the service: %v", got)
		}
		if got.RuntimePlatform == nil || got.RuntimePlatform.CPUArchitecture != "ARM64" {
			t.Errorf("the fixed revision's runtime platform: %+v, want ARM64 as the revision it copies", got.RuntimePlatform)
		}
		if _, ok := got.Raw["ephemeralStorage"]; !ok {
			t.Errorf("the fixed revision lost ephemeralStorage: %v", got.Raw)
		}
		return
	}
	t.Fatalf("no awslogs-region fix among %d fixes", len(fixes))
}
