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

// TestExposureIntrospection: the ECS agent's introspection port open to
// the internet in the instances' group is no way in (ecs-init drops it)
// unless the instance's ecs.config allows off-host access.
func TestExposureIntrospection(t *testing.T) {
	e := article(t)
	allow(t, e, "instance-sg", "tcp", 51678, 51678, "0.0.0.0/0")
	if x := find(Exposure(compileEngine(e)), "tcp", 51678); len(x) != 1 || x[0].Verdict != Timeout || !strings.Contains(x[0].Summary, "ecs-init drops") {
		t.Errorf("entries = %+v", x)
	}
	st, _ := e.Snapshot()
	for _, i := range st.Instances {
		i.UserData += "echo ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS=true >> /etc/ecs/ecs.config\n"
	}
	x := find(Exposure(Compile(st)), "tcp", 51678)
	if len(x) != 1 || x[0].Verdict != Connected || x[0].Socket == nil || x[0].Socket.Kind != "ecs-agent" {
		t.Errorf("allowed: entries = %+v", x)
	}
}
