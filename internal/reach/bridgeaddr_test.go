package reach

import (
	"strings"
	"testing"
)

// consulStory builds examples/failures/bridge-consul-advertises-container-address.yaml
// with each edit (old → new) applied.
func consulStory(t *testing.T, edits ...string) *Network {
	t.Helper()
	return editedStory(t, "examples/failures/bridge-consul-advertises-container-address.yaml", edits...)
}

// hashicorp/consul#3624: a peer on another host calls a bridge container
// at its Docker bridge address; the explanation names the instance's
// address and the host port.
func TestBridgeContainerAddress(t *testing.T) {
	t.Run("through the NAT gateway: the internet has no route", func(t *testing.T) {
		n := consulStory(t)
		ex := check(t, probeSpec(t, n, "app-host", "172.17.0.2:8300", "tcp"), NoRoute, CodeBridgeContainerAddress)
		e := ex[CodeBridgeContainerAddress]
		if e.Port != 8300 || !e.Address.IsValid() || !strings.HasPrefix(e.Address.String(), "10.0.1.") {
			t.Errorf("address %v port %d, want node-0's 10.0.1.x and 8300", e.Address, e.Port)
		}
		if m := e.Message; !strings.Contains(m, "172.17.0.0/16") || !strings.Contains(m, "node-0") || !strings.Contains(m, "host port 8300") {
			t.Errorf("message %q", m)
		}
	})
	t.Run("no default route: the route table's miss names the bridge too", func(t *testing.T) {
		n := consulStory(t, "az: us-east-1b, route_table: private}", "az: us-east-1b, route_table: isolated}",
			"route_tables:\n", "route_tables:\n  isolated: {vpc: main, routes: []}\n")
		check(t, probeSpec(t, n, "app-host", "172.17.0.2:8300", "tcp"), NoRoute, CodeBridgeContainerAddress)
	})
	t.Run("a dynamic host port is the one named", func(t *testing.T) {
		n := consulStory(t, `ports: ["8300:8300"]`, `ports: ["0:8300"]`)
		ex := check(t, probeSpec(t, n, "app-host", "172.17.0.2:8300", "tcp"), NoRoute, CodeBridgeContainerAddress)
		if p := ex[CodeBridgeContainerAddress].Port; p < 32768 {
			t.Errorf("port %d, want the dynamic host port", p)
		}
	})
	t.Run("a port no container publishes: the bridge, without a port", func(t *testing.T) {
		n := consulStory(t)
		ex := check(t, probeSpec(t, n, "app-host", "172.17.0.2:9999", "tcp"), NoRoute, CodeBridgeContainerAddress)
		if m := ex[CodeBridgeContainerAddress].Message; !strings.Contains(m, "no bridge-mode container there publishes tcp/9999") {
			t.Errorf("message %q", m)
		}
	})
	t.Run("another private address outside the VPC: no bridge explanation", func(t *testing.T) {
		n := consulStory(t)
		r := probeSpec(t, n, "app-host", "192.168.5.5:8300", "tcp")
		if r.HasCode(CodeBridgeContainerAddress) {
			t.Errorf("192.168.5.5 explained as a bridge address: %v", r.Explanations)
		}
	})
	t.Run("without bridge-mode tasks: no bridge explanation", func(t *testing.T) {
		n := consulStory(t, "tasks:\n  consul-server:\n    cluster: demo\n    task_definition: consul-server\n    launch_type: EC2\n", "")
		r := probeSpec(t, n, "app-host", "172.17.0.2:8300", "tcp")
		if r.HasCode(CodeBridgeContainerAddress) {
			t.Errorf("explained as a bridge address with no bridge task: %v", r.Explanations)
		}
	})
}
