package reach

import (
	"strings"
	"testing"
)

// localhost is the source's own network namespace: a bridge container's
// own ports only, an awsvpc task's containers', the instance's for its
// processes (host ports Docker publishes among them); never the network.
func TestLoopbackNamespaces(t *testing.T) {
	n := buildStory(t, "bridge-app-localhost-agent.yaml")
	// The bridge container: its own port answers, the daemon's host port
	// on the instance does not, and the why names where it listens.
	check(t, probeSpec(t, n, "api/0", "localhost:8080", "tcp"), Connected)
	x := check(t, probeSpec(t, n, "api/0", "127.0.0.1:8126", "tcp"), Refused, CodeLoopbackNotListening)[CodeLoopbackNotListening]
	if !strings.Contains(x.Message, "listens on the instance's port 8126") || !strings.Contains(x.Message, "172.17.0.1") {
		t.Errorf("bridge why: %s", x.Message)
	}
	// The instance's own namespace: the published host port answers.
	check(t, probeSpec(t, n, "ecs-asg/0", "localhost:8126", "tcp"), Connected)
	// No port, or from the internet: refused as a query.
	if _, err := NewQuery(n, "api/0", "localhost", "tcp"); err == nil {
		t.Error("localhost without a port was accepted")
	}

	n = buildStory(t, "fargate-xray-daemon-separate-service-localhost.yaml")
	x = check(t, probeSpec(t, n, "api/0", "localhost:2000", "tcp"), Refused, CodeLoopbackNotListening)[CodeLoopbackNotListening]
	if !strings.Contains(x.Message, "xray-daemon") || !strings.Contains(x.Message, "run the process as a container of this task") {
		t.Errorf("awsvpc why: %s", x.Message)
	}
	// The task's own container port answers on localhost (awsvpc: one
	// namespace for the task).
	check(t, probeSpec(t, n, "api/0", "localhost:8080", "tcp"), Connected)
	check(t, probeSpec(t, n, "xray/0", "localhost:2000", "udp"), Connected)

	// A sidecar of the same bridge task: its own namespace too; the why
	// names it and the link.
	n = buildStory(t, "bridge-sidecar-localhost.yaml")
	x = check(t, probeSpec(t, n, "web/0", "localhost:6379", "tcp"), Refused, CodeLoopbackNotListening)[CodeLoopbackNotListening]
	if !strings.Contains(x.Message, "the container redis of the same task") || !strings.Contains(x.Message, "links") {
		t.Errorf("bridge sidecar why: %s", x.Message)
	}
}
