package reach

import (
	"slices"
	"testing"
)

// The ingress-routing story written in the scenario syntax (edge route
// table, Gateway Load Balancer endpoints, a GWLB of appliances in its own
// VPC): the appliances fail the health check their group does not admit,
// so the request from the internet is dropped at the GWLB; once the group
// admits it, the request and the reply both pass the zone's endpoint.
func TestGWLBIngressStory(t *testing.T) {
	const story = "examples/failures/analyzer-only/gwlb-ingress-appliance-health-check-sg.yaml"
	probe := func(t *testing.T, edits ...string) *Result {
		t.Helper()
		n := compileEngine(storyEngine(t, story, edits...))
		q, err := NewQuery(n, "internet", "web-alb:80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return Probe(n, q)
	}
	endpointHops := func(hops []Hop) []string {
		var out []string
		for _, h := range hops {
			if h.Component != nil && h.Component.Type == "vpc-endpoint" {
				out = append(out, h.Component.Name)
			}
		}
		return out
	}
	r := probe(t)
	check(t, r, Timeout, CodeGWLBNoHealthyTargets)

	const admitted = "appliance-sg: {vpc: security, ingress: [{protocol: udp, ports: 6081, cidr: 10.100.0.0/16}, {protocol: tcp, ports: 22, cidr: 10.100.0.0/16}]}"
	r = probe(t, "appliance-sg: {vpc: security, ingress: [{protocol: udp, ports: 6081, cidr: 10.100.0.0/16}]}", admitted)
	check(t, r, HTTP200)
	if !r.HasCode(CodeGWLBInspected) {
		t.Errorf("no %s: %s", CodeGWLBInspected, codeList(r))
	}
	if got := endpointHops(r.Forward); len(got) != 1 || !slices.Contains([]string{"gwlbe-a", "gwlbe-b"}, got[0]) {
		t.Errorf("the request passes endpoints %v, want one of the ALB node's zone", got)
	}
	if got, fwd := endpointHops(r.Return), endpointHops(r.Forward); !slices.Equal(got, fwd) {
		t.Errorf("the reply passes endpoints %v, the request %v", got, fwd)
	}

	// GENEVE not admitted: the healthy appliance gets no packets.
	r = probe(t, "appliance-sg: {vpc: security, ingress: [{protocol: udp, ports: 6081, cidr: 10.100.0.0/16}]}",
		"appliance-sg: {vpc: security, ingress: [{protocol: tcp, ports: 22, cidr: 10.100.0.0/16}]}")
	check(t, r, Timeout, CodeGWLBGeneveBlocked)
}
