package reach

import (
	"slices"
	"strings"
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

// A dualstack NLB's nodes reach an ipv6 target group's targets from their
// IPv6 addresses: the lint checks the task's group against those (it
// admits ::/0 here, and the probe connects), not the nodes' IPv4
// addresses; with a rule for the VPC's IPv4 block only, both the probe and
// the lint say the group blocks the NLB, naming the nodes' IPv6 addresses.
func TestNLBIPv6TargetsLint(t *testing.T) {
	st, _ := build(t, "testdata/nlb-ipv6-targets.yaml").Snapshot()
	n := Compile(st)
	check(t, probeSpec(t, n, "internet", "web-nlb:80", "tcp"), Connected)
	if f, ok := lintCodes(Lint(n))[CodeTaskSGBlocksLB]; ok {
		t.Errorf("::/0 admits the nodes' IPv6 addresses, yet: %s", f.Message)
	}
	for _, g := range st.SecurityGroups {
		if g.Name == "task-sg" {
			c := *g
			c.Ingress = []model.SecurityGroupRule{{Protocol: model.TCP, Ports: model.PortRange{First: 3000, Last: 3000}, CIDR: st.VPCs[g.VpcID].CIDR}}
			st.SecurityGroups[c.ID] = &c
		}
	}
	n = Compile(st)
	if r := probeSpec(t, n, "internet", "web-nlb:80", "tcp"); r.Verdict != Timeout {
		t.Errorf("with an IPv4-only task group: %s %s", r.Verdict, r.Summary)
	}
	f, ok := lintCodes(Lint(n))[CodeTaskSGBlocksLB]
	if !ok || !strings.Contains(f.Fix, "2600:") || !strings.Contains(f.Fix, "IPv6 CIDR") {
		t.Errorf("with an IPv4-only task group, the lint: %+v", f)
	}
}
