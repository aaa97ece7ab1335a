package scenario

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestContainerHealthCheck: a container's health_check becomes its
// healthCheck.command, and the task definition then requires the
// container-health-check attribute; a command that does not start with CMD
// or CMD-SHELL is an error at its line.
func TestContainerHealthCheck(t *testing.T) {
	const src = `name: hc
clusters:
  demo: {}
task_definitions:
  web:
    containers:
      web:
        image: nginx
        memory: 128
        health_check: [KIND, "curl -f http://localhost/ || exit 1"]
`
	build := func(kind string) (*Built, error) {
		sc, err := Parse("app.yaml", []byte(strings.ReplaceAll(src, "KIND", kind)))
		if err != nil {
			return nil, err
		}
		return sc.Build()
	}
	b, err := build("CMD-SHELL")
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	for _, td := range st.TaskDefinitions {
		c, _ := td.Container("web")
		hc, _ := model.RawField(c.Raw, "healthCheck").(map[string]any)
		if cmd, _ := hc["command"].([]any); len(cmd) != 2 || cmd[0] != "CMD-SHELL" {
			t.Errorf("healthCheck %v", hc)
		}
		if !slices.Contains(model.RequiredInstanceAttributes(td), "ecs.capability.container-health-check") {
			t.Errorf("requires %v", model.RequiredInstanceAttributes(td))
		}
	}
	if _, err := build("RUN"); err == nil || !strings.Contains(err.Error(), "app.yaml:10") || !strings.Contains(err.Error(), "must be CMD or CMD-SHELL") {
		t.Errorf("err = %v", err)
	}
}
