package scenario_test

import (
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// A container's ports may name a containerPortRange ("8000-8009",
// "8000-8009/udp", {range: …}); a range that does not parse, or one with a
// host port, fails at its line when the file is read, and one ECS refuses
// (overlapping another mapping) at the task definition's line when built.
func TestPortRangeAtLine(t *testing.T) {
	data, err := os.ReadFile("../../examples/failures/port-range-sg-partial.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	const at = `ports: ["8000-8009"]`
	line := "pr.yaml:" + itoa(strings.Count(text[:strings.Index(text, at)], "\n")+1)
	sc, err := scenario.Parse("pr.yaml", []byte(strings.Replace(text, at, `ports: ["8000-8009", "9000-9001/udp", {range: 7000-7001, name: ctl}]`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	td, err := b.Engine.TaskDefinition("media")
	if err != nil {
		t.Fatal(err)
	}
	pms := td.Containers[0].PortMappings
	if len(pms) != 3 || pms[0].ContainerPortRange != (model.PortRange{First: 8000, Last: 8009}) || pms[1].Protocol != model.UDP ||
		pms[1].ContainerPortRange.First != 9000 || pms[2].Name != "ctl" || pms[2].ContainerPortRange.Last != 7001 {
		t.Fatalf("port mappings %+v", pms)
	}
	for ports, want := range map[string]string{
		`ports: ["8009-8000"]`:                  `port range "8009-8000"`,
		`ports: ["0-10"]`:                       `port range "0-10"`,
		`ports: ["80:8000-8009"]`:               "a port range takes no host port",
		`ports: [{range: 8000-8009, host: 80}]`: "give range alone",
		`ports: [{range: 8000-x}]`:              `port range "8000-x"`,
	} {
		_, err := scenario.Parse("pr.yaml", []byte(strings.Replace(text, at, ports, 1)))
		if err == nil || !strings.Contains(err.Error(), line) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q at %s", ports, err, want, line)
		}
	}
	sc, err = scenario.Parse("pr.yaml", []byte(strings.Replace(text, at, `ports: ["8000-8009", 8005]`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	tdLine := "pr.yaml:" + itoa(strings.Count(text[:strings.Index(text, "  media:\n    network_mode")], "\n")+1)
	if _, err := sc.Build(); err == nil || !strings.Contains(err.Error(), "overlaps") || !strings.Contains(err.Error(), tdLine) {
		t.Errorf("8005 inside 8000-8009: %v, want the overlap at %s", err, tdLine)
	}
}
