package reach

import (
	"strings"
	"testing"
)

// A Service Connect server with ingressPortOverride: its proxy listens on
// the override port, so a group that admits that port connects, and one
// that admits only the container port drops the clients' proxies at the
// group (no "nothing listens" on the override port).
func TestServiceConnectIngressPortOverrideListens(t *testing.T) {
	const story = "examples/failures/analyzer-only/service-connect-ingress-port-override-sg.yaml"
	n := compileEngine(storyEngine(t, story))
	r := Probe(n, mustQuery(t, n, "checkout", "ledger.shop:80"))
	if r.Verdict != Timeout || !r.HasCode(CodeSGRulesMismatch) || r.HasCode(CodeNoListener) {
		t.Fatalf("the group admits 8080: %s: %s", r.Verdict, r.Summary)
	}
	n = compileEngine(storyEngine(t, story, "ports: 8080, group: client-sg", "ports: 15000, group: client-sg"))
	if r := Probe(n, mustQuery(t, n, "checkout", "ledger.shop:80")); r.Verdict != Connected {
		t.Errorf("the group admits 15000: %s: %s", r.Verdict, r.Summary)
	}
	// The container port still answers callers that bypass the proxy.
	n = compileEngine(storyEngine(t, story, "ports: 8080, group: client-sg", "ports: 8080, cidr: 10.0.0.0/16"))
	if r := Probe(n, mustQuery(t, n, "checkout", "ledger/0:8080")); r.Verdict != Connected {
		t.Errorf("the container port, directly: %s: %s", r.Verdict, r.Summary)
	}
	// Without the override, nothing listens on 15000.
	n = compileEngine(storyEngine(t, story, "          ingress_port_override: 15000\n", "", "ports: 8080, group: client-sg", "ports: 15000, group: client-sg"))
	if r := Probe(n, mustQuery(t, n, "checkout", "ledger/0:15000")); r.Verdict == Connected {
		t.Errorf("no override, yet 15000 answers: %s", r.Summary)
	}
}

// A One Zone file system asked from another zone: the start failure says
// it is One Zone, and the hint is the file system's zone, not a mount
// target that EFS refuses to create.
func TestEFSOneZoneOtherZoneHint(t *testing.T) {
	const story = "examples/failures/efs-one-zone-service-other-zone.yaml"
	n := compileEngine(storyEngine(t, story))
	r := Probe(n, mustQuery(t, n, "internet", "web-alb:80"))
	if !r.HasCode(CodeEFSNoMountTarget) {
		t.Fatalf("%s: %s", r.Verdict, r.Summary)
	}
	var found bool
	for _, x := range r.Explanations {
		if x.Code == CodeEFSNoMountTarget && strings.Contains(x.Message, "One Zone") && strings.Contains(x.Message, "us-east-1a") && !strings.Contains(x.Message, "create a mount target") {
			found = true
		}
	}
	if !found {
		t.Errorf("no One Zone hint: %+v", r.Explanations)
	}
	// A Regional file system missing the zone's mount target keeps the
	// create-a-mount-target hint.
	n = compileEngine(storyEngine(t, story, "    one_zone: us-east-1a\n", ""))
	r = Probe(n, mustQuery(t, n, "internet", "web-alb:80"))
	for _, x := range r.Explanations {
		if x.Code == CodeEFSNoMountTarget && strings.Contains(x.Message, "One Zone") {
			t.Errorf("a Regional file system called One Zone: %s", x.Message)
		}
	}
}
