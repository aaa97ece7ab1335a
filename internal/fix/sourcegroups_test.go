package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A client that runs in the VPC's default group only, calling a task
// whose group admits the port from another group: the first verified fix
// gives the client that group: a standalone task is run again with it
// (and resolves by its name afterwards, the stopped one still listed), a
// service is updated. A client that carries a group of its own is not
// offered one.
func TestSourceGroupsFix(t *testing.T) {
	const path = "../../examples/failures/runtask-migration-default-sg.yaml"
	first := func(t *testing.T, edit func(string) string, from string) (fix.Fix, bool) {
		t.Helper()
		e := load(t, path, edit)
		fixes, res, err := fix.Find(e, from, "db:5432", "tcp", fix.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Verdict != reach.Timeout || !res.HasCode(reach.CodeSGRulesMismatch) {
			t.Fatalf("%s → db:5432 = %s: %s", from, res.Verdict, res.Summary)
		}
		if len(fixes) == 0 {
			return fix.Fix{}, false
		}
		return fixes[0], true
	}
	f, ok := first(t, nil, "migrate")
	if !ok || f.Kind != "task" || !strings.HasPrefix(f.Title, "Run the task migrate again with the security group worker-sg") ||
		f.Verification.Verdict != reach.Connected || len(f.Commands) != 2 || !strings.Contains(f.Commands[0], "securityGroups=[sg-") {
		t.Errorf("standalone task: %+v", f)
	}
	// The worker service created without groups.
	f, ok = first(t, func(s string) string {
		return strings.Replace(s, "    security_groups: [worker-sg]\n    assign_public_ip: true\n", "    assign_public_ip: true\n", 1)
	}, "worker")
	if !ok || f.Kind != "service" || !strings.HasPrefix(f.Title, "Give the service worker the security group worker-sg") || f.Verification.Verdict != reach.Connected {
		t.Errorf("service: %+v", f)
	}
	// The migration with a group of its own that db-sg does not admit.
	f, ok = first(t, func(s string) string {
		s = strings.Replace(s, "  worker-sg: {vpc: main}\n", "  worker-sg: {vpc: main}\n  other-sg: {vpc: main}\n", 1)
		return strings.Replace(s, "    subnets: [public-a]\n    assign_public_ip: true\n", "    subnets: [public-a]\n    security_groups: [other-sg]\n    assign_public_ip: true\n", 1)
	}, "migrate")
	if ok && (f.Kind == "task" || f.Kind == "service") {
		t.Errorf("a client with its own group was given another: %+v", f)
	}
}

// A client inside the VPC that calls a container instance's address for a
// port an awsvpc task listens on (on its own ENI): the first verified fix
// is its own connection to the task's private address, not a load
// balancer for the internet.
func TestPrivateAddressFromTheClient(t *testing.T) {
	e := load(t, "../../examples/failures/awsvpc-host-port-gone.yaml", nil)
	fixes, res, err := fix.Find(e, "monitor", "ecs-asg/0:9100", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.Refused || !res.HasCode(reach.CodePortOnTaskENI) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 || fixes[0].Kind != "private-address" || fixes[0].Verification.From != "monitor" || fixes[0].Verification.Verdict != reach.Connected {
		t.Fatalf("fixes = %+v", fixes)
	}
}
