package reach

import (
	"slices"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A dualstack ALB forwards to an ipv6 target group over IPv6: ECS
// registered the Fargate task by its IPv6 address, the node opens the
// connection from its own IPv6 address, and the task's group decides on
// that IPv6 source (a rule for the VPC's IPv4 block alone admits nothing).
func TestDualStackALBToIPv6Targets(t *testing.T) {
	st, _ := build(t, "testdata/alb-ipv6-targets.yaml").Snapshot()
	var tg *model.TargetGroup
	for _, g := range st.TargetGroups {
		tg = g
	}
	if tg.IPAddressType != "ipv6" || tg.Targets.Len() != 1 {
		t.Fatalf("target group %s with %d targets", tg.IPAddressType, tg.Targets.Len())
	}
	x := tg.Targets.At(0)
	a, ok := x.TargetAddr()
	if !ok || !a.Is6() {
		t.Fatalf("the task registered as %q, want its IPv6 address", x.ID)
	}
	for _, v6 := range []bool{false, true} {
		var r *Result
		if v6 {
			r = probeV6State(t, st, "internet", "web-alb:80")
		} else {
			r = probeSpec(t, Compile(st), "internet", "web-alb:80", "tcp")
		}
		check(t, r, HTTP200)
		backend := false
		for _, h := range r.Forward {
			if h.Packet.Destination == a && h.Packet.DestinationPort == 3000 && h.Packet.Source.Is6() {
				backend = true
			}
		}
		if !backend {
			t.Errorf("ipv6 client %v: no IPv6 hop from the node to the task's %s: %s", v6, a, r.Summary)
		}
	}

	// The task's group admitting the VPC's IPv4 block only: the IPv6
	// connection from the node is dropped there.
	for _, g := range st.SecurityGroups {
		if g.Name == "task-sg" {
			c := *g
			c.Ingress = []model.SecurityGroupRule{{Protocol: model.TCP, Ports: model.PortRange{First: 3000, Last: 3000}, CIDR: st.VPCs[g.VpcID].CIDR}}
			st.SecurityGroups[c.ID] = &c
		}
	}
	r := probeSpec(t, Compile(st), "internet", "web-alb:80", "tcp")
	if r.Verdict == HTTP200 || !slices.ContainsFunc(r.Explanations, func(e Explanation) bool { return e.Code == CodeSGRulesMismatch || e.Code == CodeTargetUnhealthy }) {
		t.Errorf("with an IPv4-only task group: %s %s", r.Verdict, r.Summary)
	}
}
