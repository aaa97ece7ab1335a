package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A bridge service behind a Classic Load Balancer publishes its container
// port on a host port other than the listener's instance port: every
// instance is OutOfService and the load balancer answers 503. The verified
// fix publishes the container port on the instance port. (A dynamic host
// port ECS refuses outright: examples/failures/refused/clb-dynamic-port.yaml.)
func TestClassicHostPortFixSetsTheInstancePort(t *testing.T) {
	e := load(t, "../../examples/classic/clb-bridge.yaml", func(s string) string {
		return strings.Replace(s, `ports: ["8080:80"]`, `ports: ["8081:80"]`, 1)
	})
	fixes, res, err := fix.Find(e, "internet", "web-elb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.HTTP503 || !res.HasCode(reach.CodeClassicNoInService) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 {
		t.Fatal("no verified fix")
	}
	f := fixes[0]
	if !strings.HasPrefix(f.Title, "Publish container port 80 of web on host port 8080") || !strings.Contains(f.Scenario, `ports: ["8080:80"]`) ||
		f.Verification.Verdict != reach.HTTP200 {
		t.Errorf("first fix = %q %q %s", f.Title, f.Scenario, f.Verification.Verdict)
	}
	for _, f := range fixes {
		if strings.Contains(f.Title, "8081") {
			t.Errorf("a fix opens the task's host port: %s", f.Title)
		}
	}
}

// The instances' security group admits port 22 only from the Classic Load
// Balancer: its health checks time out. The fix opens the instance port
// from the load balancer's group.
func TestClassicSecurityGroupFix(t *testing.T) {
	e := load(t, "../../examples/classic/clb-bridge.yaml", func(s string) string {
		return strings.Replace(s, "ports: 8080, group: elb-sg", "ports: 22, group: elb-sg", 1)
	})
	fixes, res, err := fix.Find(e, "internet", "web-elb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.HTTP503 || !res.HasCode(reach.CodeSGRulesMismatch) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 || !strings.HasPrefix(fixes[0].Title, "Allow tcp/8080 from security group elb-sg on security group instance-sg") {
		t.Fatalf("fixes = %+v", fixes)
	}
}
