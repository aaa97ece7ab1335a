package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// The placement failures of examples/failures: the service runs fewer
// tasks than it wants, Lint names the cause and quotes the service event
// in ECS's words ("is already using a port required by your task",
// "RESOURCE:ENI").
func TestPlacementFailureExamples(t *testing.T) {
	for _, c := range []struct {
		file, code, event string
		running           int
	}{
		{"examples/failures/host-port-conflict.yaml", CodePortConflict, "is already using a port required by your task.", 1},
		{"examples/failures/eni-limit.yaml", CodeENICapacity, `encountered error "RESOURCE:ENI".`, 2},
		{"examples/failures/awsvpc-subnet-zone-no-instances.yaml", CodePlacementZone, `encountered error "LOCATION".`, 0},
	} {
		t.Run(c.file, func(t *testing.T) {
			e := build(t, repoFile(c.file))
			st := stateOf(e)
			running := 0
			for _, tk := range st.Tasks {
				if tk.LastStatus == model.TaskRunning {
					running++
				}
			}
			if running != c.running {
				t.Errorf("%d tasks run, want %d", running, c.running)
			}
			for _, f := range Lint(compileEngine(e)) {
				if f.Code == c.code {
					if !strings.Contains(f.Message, "was unable to place a task because no container instance met all of its requirements. The closest matching container-instance") ||
						!strings.Contains(f.Message, c.event) {
						t.Errorf("%s does not quote the service event: %s", c.code, f.Message)
					}
					return
				}
			}
			t.Errorf("no %s finding", c.code)
		})
	}
}

// A bridge task's dynamic host port dropped by the instance's group: the
// explanation says the port is one ECS chose, and which range to admit.
func TestDynamicHostPortExplained(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/dynamic-ports-blocked.yaml")))
	r := probeSpec(t, n, "internet", "web-alb:80", "tcp")
	for _, x := range r.Explanations {
		if x.Code == CodeSGRulesMismatch {
			if !strings.Contains(x.Message, "is the dynamic host port ECS gave the task web/") || !strings.Contains(x.Message, "32768-65535") {
				t.Errorf("the explanation does not name the dynamic host port: %s", x.Message)
			}
			return
		}
	}
	t.Errorf("no %s in %+v", CodeSGRulesMismatch, r.Explanations)
}

// An awsvpc service whose subnets are in no zone of its cluster's
// container instances: the probe's root cause names both sets of zones.
func TestPlacementZoneExplained(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/awsvpc-subnet-zone-no-instances.yaml")))
	r := probeSpec(t, n, "internet", "web-alb:80", "tcp")
	for _, x := range r.Explanations {
		if x.Code == CodePlacementZone {
			if !strings.Contains(x.Message, "subnets are in us-east-1c and its cluster's container instances in us-east-1a, us-east-1b") {
				t.Errorf("the explanation does not name the zones: %s", x.Message)
			}
			return
		}
	}
	t.Errorf("no %s in %+v", CodePlacementZone, r.Explanations)
}

// Services stuck below their desired count for a reason no other finding
// names are ECS_SERVICE_NOT_STEADY, an error, with the reason (the
// placement event; the capacity provider's failed launch; its group at its
// maximum size); a service that
// runs what it wants, and services whose cause another finding names
// (RESOURCE:ENI, a host port, a zone, an agent that cannot register), are
// not.
func TestUnsteadyServices(t *testing.T) {
	got := map[string]string{}
	for _, f := range Lint(compileEngine(build(t, "testdata/unsteady.yaml"))) {
		if f.Code == CodeServiceNotSteady {
			if f.Severity != SeverityError {
				t.Errorf("%s is %s, want an error", f.Resource.Name, f.Severity)
			}
			got[f.Resource.Name] = f.Message
		}
	}
	for name, want := range map[string]string{
		"big":    "runs 0 of 1 tasks and stays so, which a deployment waits for (CloudFormation fails the stack; Terraform's wait_for_steady_state times out): the service big cannot place its tasks: service big was unable to place a task because no container instance met all of its requirements. The closest matching container-instance ",
		"waits":  "its tasks wait for capacity provider arm-cp, whose Auto Scaling group arm-asg cannot launch instances: Launching a new EC2 instance. Status Reason: The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64' of the specified AMI.",
		"capped": "its tasks wait for capacity provider full-cp, whose Auto Scaling group full-asg is at its maximum size (0) with every instance registered, none able to take them: ECS stops such a task after up to 30 minutes in PROVISIONING (stopCode TaskFailedToStart)",
	} {
		if !strings.Contains(got[name], want) {
			t.Errorf("service %s: %q\nwant it to contain %q", name, got[name], want)
		}
	}
	if len(got) != 3 {
		t.Errorf("ECS_SERVICE_NOT_STEADY for %d services (%v), want big, waits and capped", len(got), got)
	}
	for _, file := range []string{"examples/failures/eni-limit.yaml", "examples/failures/host-port-conflict.yaml",
		"examples/failures/awsvpc-subnet-zone-no-instances.yaml", "examples/failures/agent-no-path.yaml"} {
		for _, f := range Lint(compileEngine(build(t, repoFile(file)))) {
			if f.Code == CodeServiceNotSteady {
				t.Errorf("%s: %s although another finding names the cause: %s", file, f.Code, f.Message)
			}
		}
	}
}

// A Fargate service whose /28 subnets are shared with load balancer nodes
// and an endpoint: as many tasks run as the subnets have free addresses,
// the others stop in PROVISIONING, and Lint names the subnets, how many
// addresses each has left, and quotes the tasks' stopped reason.
func TestSubnetNoFreeAddressesExample(t *testing.T) {
	e := build(t, repoFile("examples/failures/fargate-subnet-no-free-addresses.yaml"))
	st := stateOf(e)
	running := 0
	for _, tk := range st.Tasks {
		if tk.LastStatus == model.TaskRunning {
			running++
		}
	}
	// 11 usable addresses in each /28, less the ALB's, the NLB's and the
	// endpoint's node: 8 per subnet.
	if running != 16 {
		t.Errorf("%d tasks run, want 16", running)
	}
	for id, sn := range st.Subnets {
		if name := sn.Tags.Name(); (name == "ingress-a" || name == "ingress-b") && st.SubnetFreeAddresses(id) != 0 {
			t.Errorf("%s has %d free addresses, want 0", name, st.SubnetFreeAddresses(id))
		}
	}
	for _, f := range Lint(compileEngine(e)) {
		if f.Code == CodeSubnetNoFreeAddresses {
			for _, want := range []string{"ingress-a (10.122.113.48/28, 0 free)", "ingress-b (10.122.113.64/28, 0 free)", "stop in PROVISIONING: InsufficientFreeAddressesInSubnet"} {
				if !strings.Contains(f.Message, want) {
					t.Errorf("finding lacks %q: %s", want, f.Message)
				}
			}
			return
		}
	}
	t.Errorf("no %s finding", CodeSubnetNoFreeAddresses)
}
