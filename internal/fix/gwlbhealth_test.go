package fix

import (
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// A Gateway Load Balancer whose appliances' group does not admit its
// health checks: the fix admits the health check port from the GWLB's
// subnets, verified by an instance's connection out through the endpoint.
// (The story's own probe, to the ALB, stays 503 on the copy: ECS does not
// relaunch the service's stopped tasks there.)
func TestGWLBHealthCheckFix(t *testing.T) {
	const story = "../../examples/failures/analyzer-only/gwlb-ingress-appliance-health-check-sg.yaml"
	raw, err := os.ReadFile(story)
	if err != nil {
		t.Fatal(err)
	}
	data := strings.Replace(string(raw), "\ntarget_groups:", "\n  probe-a: {subnet: pub-a, instance_type: t3.micro, public_ip: \"true\"}\n\ntarget_groups:", 1)
	data = data[:strings.Index(data, "\nexpect:")]
	sc, err := scenario.Parse(story, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	fixes, res, err := Find(b.Engine, "probe-a", "203.0.113.10:443", "tcp", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.Timeout || !res.HasCode(reach.CodeGWLBNoHealthyTargets) {
		t.Fatalf("before: %s %s", res.Verdict, res.Summary)
	}
	for _, f := range fixes {
		if strings.Contains(f.Title, "Allow the health checks of Gateway Load Balancer inspection (tcp/22 from 10.100.1.0/24, 10.100.2.0/24)") {
			if f.Verification.Verdict != reach.Connected || len(f.Commands) != 2 || !strings.Contains(f.Scenario, "appliance-sg") {
				t.Errorf("fix %+v", f)
			}
			return
		}
	}
	t.Fatalf("no health check fix among %d: %+v", len(fixes), fixes)
}

// A Gateway Load Balancer whose appliances' group admits the health check
// (TCP 22) but not GENEVE: the probe names the group that drops the
// GENEVE packets (ECS_GWLB_GENEVE_BLOCKED), and the fix admits UDP 6081
// from the GWLB's subnets, verified by an instance's connection out
// through the endpoint. With the health check fix alone nothing changes:
// the appliances are healthy already.
func TestGWLBGeneveFix(t *testing.T) {
	const story = "../../examples/failures/analyzer-only/gwlb-appliance-sg-geneve-blocked.yaml"
	raw, err := os.ReadFile(story)
	if err != nil {
		t.Fatal(err)
	}
	data := strings.Replace(string(raw), "\ntarget_groups:", "\n  probe-a: {subnet: pub-a, instance_type: t3.micro, public_ip: \"true\"}\n\ntarget_groups:", 1)
	data = data[:strings.Index(data, "\nexpect:")]
	sc, err := scenario.Parse(story, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	fixes, res, err := Find(b.Engine, "probe-a", "203.0.113.10:443", "tcp", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.Timeout || !res.HasCode(reach.CodeGWLBGeneveBlocked) || res.HasCode(reach.CodeGWLBNoHealthyTargets) {
		t.Fatalf("before: %s %s", res.Verdict, res.Summary)
	}
	decided := false
	for _, x := range res.Explanations {
		if x.Code == reach.CodeGWLBGeneveBlocked && x.Decided != nil && x.Decided.Name == "appliance-sg" && x.Protocol == "udp" && x.Port == 6081 {
			decided = true
		}
	}
	if !decided {
		t.Errorf("no GENEVE finding decided by appliance-sg: %+v", res.Explanations)
	}
	for _, f := range fixes {
		if strings.Contains(f.Title, "Allow GENEVE from Gateway Load Balancer inspection (udp/6081 from 10.100.1.0/24, 10.100.2.0/24)") {
			if f.Verification.Verdict != reach.Connected || len(f.Commands) != 2 || !strings.Contains(f.Scenario, "appliance-sg") {
				t.Errorf("fix %+v", f)
			}
			return
		}
	}
	t.Fatalf("no GENEVE fix among %d: %+v", len(fixes), fixes)
}
