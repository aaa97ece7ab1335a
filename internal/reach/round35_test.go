package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Centralized egress whose NAT gateway subnet has no route back to the
// spoke VPC: the pull leaves through the transit gateway and the NAT
// gateway, and the reply, translated back to the task's address, follows
// the NAT gateway's subnet's 0.0.0.0/0 to the internet gateway. The task
// stops; the cause is that route table, on the return path. With the
// route back to the transit gateway the task starts (the same story).
func TestCentralEgressNATReturnRoute(t *testing.T) {
	const story = "examples/failures/tgw-egress-nat-subnet-no-return-route.yaml"
	n := compileEngine(storyEngine(t, story))
	r := probeSpec(t, n, "client", "198.51.100.7:443", "tcp")
	xs := check(t, r, Timeout, CodeReturnRouteMismatch)
	if x := xs[CodeReturnRouteMismatch]; x.Path != "return" || x.Component == nil || x.Component.Name != "egress-public-rt" {
		t.Errorf("the cause is %+v, want the return path at egress-public-rt", x)
	}
	var stopped bool
	for _, f := range Lint(n) {
		if f.Code == CodeImagePullFailed && strings.Contains(f.Message, "egress-public-rt") {
			stopped = true
			if strings.Contains(f.Message, "interface endpoint") || !strings.Contains(f.Fix, "through the transit gateway to route table egress-public-rt") {
				t.Errorf("the finding does not name the missing route back: %s / %s", f.Message, f.Fix)
			}
		}
	}
	if !stopped {
		t.Error("no ECS_IMAGE_PULL_FAILED finding naming egress-public-rt")
	}
	fixed := storyEngine(t, story, "routes: [{destination: 0.0.0.0/0, target: igw}]}",
		"routes: [{destination: 0.0.0.0/0, target: igw}, {destination: 10.0.0.0/16, target: hub}]}")
	for _, tk := range stateOf(fixed).Tasks {
		if tk.LastStatus != model.TaskRunning {
			t.Errorf("with the route back, %s is %s: %s", stateOf(fixed).TaskName(tk), tk.LastStatus, tk.StoppedReason)
		}
	}
	n = compileEngine(fixed)
	if r := probeSpec(t, n, "client", "198.51.100.7:443", "tcp"); r.Verdict != Connected {
		t.Errorf("with the route back the probe is %s: %s", r.Verdict, r.Summary)
	}
}

// A registry named with its port (registry.example.com:5000): the pull
// connects to that port, so a task group that lets out 443 only stops it,
// and the finding names the port; 443 or no port is the default.
func TestRegistryNamePort(t *testing.T) {
	for in, want := range map[string]uint16{
		"registry.example.com:5000": 5000,
		"registry.example.com":      0,
		"registry.example.com:443":  0,
		"localhost:5000":            5000,
		"registry.example.com:x":    0,
	} {
		if got := registryNamePort(in); got != want {
			t.Errorf("registryNamePort(%q) = %d, want %d", in, got, want)
		}
	}
	const story = "examples/failures/registry-port-5000-task-egress-443.yaml"
	n := compileEngine(storyEngine(t, story))
	var found bool
	for _, f := range Lint(n) {
		if f.Code != CodeImagePullFailed {
			continue
		}
		found = true
		if !strings.Contains(f.Message, "outbound tcp/5000 to registry.example.com:5000") || !strings.Contains(f.Message, "dial tcp 192.0.2.50:5000") ||
			!strings.Contains(f.Fix, "allow outbound tcp/5000 on security group task-sg") {
			t.Errorf("the finding does not name the registry's port: %s / %s", f.Message, f.Fix)
		}
	}
	if !found {
		t.Error("no ECS_IMAGE_PULL_FAILED finding")
	}
	// The same registry with 5000 let out starts.
	ok := storyEngine(t, story, "egress: [{protocol: tcp, ports: 443, cidr: 0.0.0.0/0}]", "egress: [{protocol: tcp, ports: 5000, cidr: 0.0.0.0/0}]")
	for _, tk := range stateOf(ok).Tasks {
		if tk.LastStatus != model.TaskRunning {
			t.Errorf("with tcp/5000 let out, %s is %s: %s", stateOf(ok).TaskName(tk), tk.LastStatus, tk.StoppedReason)
		}
	}
}

// A load balancer group whose rule for the listener's port names a group
// no interface carries (made for bridge-mode "tasks", which use their
// instance's groups): the finding names that group; a group with members
// (the fix, admitting the instances' group) ends it.
func TestListenerClosedNamesMemberlessGroup(t *testing.T) {
	const story = "examples/failures/bridge-client-unused-task-sg.yaml"
	find := func(n *Network) *Finding {
		for _, f := range Lint(n) {
			if f.Code == CodeLBListenerClosed {
				return &f
			}
		}
		return nil
	}
	f := find(compileEngine(storyEngine(t, story)))
	if f == nil {
		t.Fatal("no ECS_LB_SG_CLOSES_LISTENER finding")
	}
	if !strings.Contains(f.Message, "names the security group frontend-sg") || !strings.Contains(f.Message, "which no network interface carries") {
		t.Errorf("the finding does not name the memberless group: %s", f.Message)
	}
	fixed := storyEngine(t, story, "ingress: [{protocol: tcp, ports: 80, group: frontend-sg}]", "ingress: [{protocol: tcp, ports: 80, group: instance-sg}]")
	if f := find(compileEngine(fixed)); f != nil {
		t.Errorf("with the instances' group admitted: %s", f.Message)
	}
}
