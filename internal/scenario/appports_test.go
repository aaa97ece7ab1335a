package scenario

import (
	"slices"
	"strings"
	"testing"
)

// TestAppPorts: a container's app_ports become ContainerDefinition.AppPorts;
// a number that is not a port is an error at its line.
func TestAppPorts(t *testing.T) {
	const src = `name: app-ports
clusters:
  demo: {}
task_definitions:
  web:
    containers:
      web: {image: nginx, memory: 128, ports: [80], app_ports: [PORT]}
`
	sc, err := Parse("app.yaml", []byte(strings.Replace(src, "PORT", "3000", 1)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	found := false
	for _, td := range st.TaskDefinitions {
		if c, ok := td.Container("web"); ok {
			found = slices.Equal(c.AppPorts, []uint16{3000})
		}
	}
	if !found {
		t.Error("no container web with AppPorts [3000]")
	}
	sc, err = Parse("app.yaml", []byte(strings.Replace(src, "PORT", "70000", 1)))
	if err == nil {
		_, err = sc.Build()
	}
	if err == nil || !strings.Contains(err.Error(), "app.yaml:7:") || !strings.Contains(err.Error(), "app_ports: 70000 is not a port") {
		t.Errorf("err = %v", err)
	}
}
