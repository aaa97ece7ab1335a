package reach

import (
	"strings"
	"testing"
)

// TestFirewallOneWayFlows runs the data plane's
// testdata/network-firewall-oneway.yaml (which the kernel checks too):
// flows that pass an AWS Network Firewall endpoint one way only. Only a
// TCP connection that goes on needs the stateful engine to have seen both
// directions; a UDP answer, an echo reply or a reset that goes around the
// endpoint reaches the client, a UDP answer that meets an endpoint which
// never saw its request is a new flow to it, judged by its stateful
// rules, and a firewall that passes a flow by its stateless rules keeps
// no state of it. Before round 39 the analyzer said timeout
// (ECS_INGRESS_ROUTING_ASYMMETRIC) for each one-way flow.
func TestFirewallOneWayFlows(t *testing.T) {
	path := repoFile("internal/dataplane/testdata/network-firewall-oneway.yaml")
	n := compileEngine(build(t, path))
	for _, x := range loadScenario(t, path) {
		r := probeSpec(t, n, x.From, x.To, x.Protocol)
		if string(r.Verdict) != x.Verdict {
			t.Errorf("%s → %s/%s = %s, want %s (%s)\n%s\n%s", x.From, x.To, x.Protocol, r.Verdict, x.Verdict, x.Note, r.Summary, codeList(r))
			continue
		}
		if x.Cause != "" && !r.HasCode(x.Cause) {
			t.Errorf("%s → %s/%s: no %s in %s (%s)", x.From, x.To, x.Protocol, x.Cause, codeList(r), x.Note)
		}
	}
}

// TestLintIngressAsymmetricStateless: lint warns of ingress routing
// asymmetry only where a stateful engine sees one direction (subnets out
// and direct), not through a firewall whose stateless rules decide every
// packet (subnets pass and pass-direct: stateless default aws:pass, no
// rule forwarding to the stateful engine).
func TestLintIngressAsymmetricStateless(t *testing.T) {
	n := compileEngine(build(t, repoFile("internal/dataplane/testdata/network-firewall-oneway.yaml")))
	got := map[string]bool{}
	for _, f := range Lint(n) {
		if f.Code == CodeIngressAsymmetric && f.Resource != nil {
			got[f.Resource.Name] = true
		}
	}
	for sub, want := range map[string]bool{"out": true, "direct": true, "pass": false, "pass-direct": false} {
		if got[sub] != want {
			t.Errorf("subnet %s: warned %v, want %v (%v)", sub, got[sub], want, got)
		}
	}
}

// TestLintWeightedEmptyGroup: lint warns of a weighted forward action's
// target group without registered targets (its share gets 503), as a
// probe finds it (examples/failures/analyzer-only/alb-weighted-target-group-empty.yaml),
// and not once the group has targets.
func TestLintWeightedEmptyGroup(t *testing.T) {
	e := build(t, repoFile("examples/failures/analyzer-only/alb-weighted-target-group-empty.yaml"))
	var got []Finding
	for _, f := range Lint(compileEngine(e)) {
		if f.Code == CodeNoRegisteredTargets {
			got = append(got, f)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0].Message, "no registered targets") || !strings.Contains(got[0].Message, "503") {
		t.Fatalf("findings %+v, want one ECS_NO_REGISTERED_TARGETS of the empty group", got)
	}
	t.Logf("%s: %s; fix: %s", got[0].Resource.Name, got[0].Message, got[0].Fix)
	// The example's other files: no weighted action, no finding.
	for _, f := range Lint(compileEngine(build(t, repoFile("examples/seed/article.yaml")))) {
		if f.Code == CodeNoRegisteredTargets {
			t.Errorf("article.yaml: %s", f.Message)
		}
	}
}
