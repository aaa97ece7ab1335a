package cfn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestTaskDefinitionContainerPortRange: AWS::ECS::TaskDefinition's
// PortMappings ContainerPortRange (the CDK's integ.container-port-range)
// reaches the task definition as a range; a range that does not parse
// fails the resource at ContainerPortRange, and one beside a HostPort
// with RegisterTaskDefinition's refusal.
func TestTaskDefinitionContainerPortRange(t *testing.T) {
	res := loadText(t, "range.yaml", `
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: media
      Cpu: "256"
      Memory: "512"
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      ContainerDefinitions:
        - Name: web
          Image: amazon/amazon-ecs-sample
          PortMappings: [{ContainerPortRange: 8080-8081, Protocol: tcp}, {ContainerPort: 80}]
`, nil)
	td, err := res.Engine.TaskDefinition("media")
	if err != nil {
		t.Fatal(err)
	}
	pms := td.Containers[0].PortMappings
	if len(pms) != 2 || pms[0].ContainerPortRange != (model.PortRange{First: 8080, Last: 8081}) || pms[0].ContainerPort != 0 || pms[0].HostPort != 0 ||
		pms[1].ContainerPort != 80 || pms[1].IsRange() {
		t.Fatalf("port mappings = %+v", pms)
	}
	for _, c := range []struct{ mapping, want string }{
		{`{ContainerPortRange: 8081-8080}`, "Invalid 'containerPortRange' setting for container 'web'"},
		{`{ContainerPortRange: "8080"}`, "Invalid 'containerPortRange' setting for container 'web'"},
		{`{ContainerPortRange: 8080-8081, HostPort: 8080}`, "'hostPort' can not be specified with 'containerPortRange'"},
		{`{ContainerPortRange: 8080-8081, ContainerPort: 80}`, "Specify either 'containerPort' or 'containerPortRange', not both"},
	} {
		path := filepath.Join(t.TempDir(), "bad.yaml")
		os.WriteFile(path, []byte(`
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      NetworkMode: bridge
      ContainerDefinitions: [{Name: web, Image: nginx, Memory: 128, PortMappings: [`+c.mapping+`]}]
`), 0o644)
		_, err := cfn.Load(path, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.mapping, err, c.want)
		}
	}
}
