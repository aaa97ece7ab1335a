package reach

import (
	"strings"
	"testing"
)

// TestAgentIntrospectionOffhost: the ECS agent's introspection API
// (tcp/51678) answers the container instance itself, but an awsvpc task
// on it is dropped by ecs-init's rule although the instances' group
// admits the task's group (ECS_AGENT_INTROSPECTION_OFFHOST_BLOCKED); an
// instance whose ecs.config sets ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS=true
// answers its awsvpc task.
func TestAgentIntrospectionOffhost(t *testing.T) {
	n := compileEngine(build(t, "../../examples/failures/datadog-agent-awsvpc-ecs-introspection.yaml"))
	if r := probeSpec(t, n, "ecs-asg/0", "ecs-asg/0:51678", "tcp"); r.Verdict != Connected {
		t.Errorf("from the instance itself: %s: %s", r.Verdict, r.Summary)
	}
	r := probeSpec(t, n, "datadog-agent/0", "ecs-asg/0:51678", "tcp")
	x := check(t, r, Timeout, CodeAgentIntrospectionOffhost)[CodeAgentIntrospectionOffhost]
	if x.Component == nil || x.Component.Name != "ecs-asg/0" || !strings.Contains(x.Message, "ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS=true") {
		t.Errorf("explanation: %+v", x)
	}
	if r := probeSpec(t, n, "datadog-agent-next/0", "ecs-asg-next/0:51678", "tcp"); r.Verdict != Connected {
		t.Errorf("offhost access allowed: %s: %s", r.Verdict, r.Summary)
	}
	for _, u := range []string{"echo ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS=true >> /etc/ecs/ecs.config", `ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS="true"`} {
		if !OffhostIntrospectionAllowed(u) {
			t.Errorf("%q: not allowed", u)
		}
	}
	for _, u := range []string{"", "ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS=false", "ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS=trueish"} {
		if OffhostIntrospectionAllowed(u) {
			t.Errorf("%q: allowed", u)
		}
	}
}
