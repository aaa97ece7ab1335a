package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A UDP target group is health-checked over TCP (on the traffic port by
// default): a UDP-only application is never healthy. The verified fix
// checks a TCP port the container maps and admits it on the tasks' group;
// a container with no TCP port gets no such fix.
func TestUDPHealthCheckPort(t *testing.T) {
	const path = "../../examples/failures/nlb-udp-health-check.yaml"
	const title = "Check the health of syslog-tg on tcp/8080, a TCP port of the container syslog, and allow tcp/8080 from 10.0.0.0/16"
	e := load(t, path, nil)
	fixes, res, err := fix.Find(e, "app", "syslog-nlb:514", "udp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.HasCode(reach.CodeTargetUnhealthy) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	found := false
	for _, f := range fixes {
		if strings.HasPrefix(f.Title, title) {
			found = true
			if f.Kind != "health-check" || f.Verification.Verdict != reach.Verdict(reach.HealthHealthy) ||
				!strings.Contains(f.Commands[0], "--health-check-protocol TCP --health-check-port 8080") {
				t.Errorf("fix %+v", f)
			}
		}
	}
	if !found {
		t.Errorf("no fix %q in %+v", title, fixes)
	}
	e = load(t, path, func(s string) string {
		return strings.Replace(s, `ports: ["514/udp", "8080"]`, `ports: ["514/udp"]`, 1)
	})
	fixes, _, err = fix.Find(e, "app", "syslog-nlb:514", "udp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixes {
		if strings.Contains(f.Title, "a TCP port of the container") {
			t.Errorf("a container without a TCP port got %q", f.Title)
		}
	}
}
