package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestTaskDefinitionContainerPortRange: containerPortRange in
// aws_ecs_task_definition's container_definitions JSON reaches the task
// definition as a range (before, it was dropped and the mapping failed as
// one without a container port, "Invalid 'containerPort' setting", the
// refusal hashicorp/terraform-provider-aws#37508 reports); a range that
// does not parse, or one beside a hostPort, fails the resource.
func TestTaskDefinitionContainerPortRange(t *testing.T) {
	load := func(mappings string) (*terraform.Result, error) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
resource "aws_ecs_task_definition" "t" {
  family                   = "media"
  network_mode             = "bridge"
  container_definitions    = jsonencode([{
    name = "rtp", image = "x", memory = 128,
    portMappings = `+mappings+`
  }])
}
`), 0o644)
		return terraform.Load(dir, terraform.Options{})
	}
	res, err := load(`[{ containerPortRange = "10000-10099", protocol = "udp" }, { containerPort = 8080 }]`)
	if err != nil {
		t.Fatal(err)
	}
	td, err := res.Engine.TaskDefinition("media")
	if err != nil {
		t.Fatal(err)
	}
	pms := td.Containers[0].PortMappings
	if len(pms) != 2 || pms[0].ContainerPortRange != (model.PortRange{First: 10000, Last: 10099}) || pms[0].Protocol != model.UDP || pms[1].ContainerPort != 8080 {
		t.Fatalf("port mappings = %+v", pms)
	}
	for mappings, want := range map[string]string{
		`[{ containerPortRange = "10099-10000" }]`:                                         "the first port must be less than the last",
		`[{ containerPortRange = "10000-10099", hostPort = 10000 }]`:                       "'hostPort' can not be specified with 'containerPortRange'",
		`[{ containerPortRange = "10000-10099" }, { containerPortRange = "10050-10150" }]`: "overlaps",
	} {
		if _, err := load(mappings); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", mappings, err, want)
		}
	}
}
