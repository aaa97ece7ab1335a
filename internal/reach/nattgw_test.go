package reach

import (
	"strings"
	"testing"
)

// A private NAT gateway whose subnet routes the destination to a transit
// gateway forwards it with its private address as the source: the
// database's group that admits the tasks' non-routable range drops it,
// and one that admits the NAT gateway's address connects, the reply
// crossing the transit gateway back to the NAT gateway and on to the task.
func TestPrivateNATIntoTGW(t *testing.T) {
	const story = "examples/failures/private-nat-tgw-sg-task-range.yaml"
	e := storyEngine(t, story)
	n := compileEngine(e)
	ng := stateOf(e).NatGateways
	var natIP string
	for _, g := range ng {
		if g.Tags.Name() == "nat-private" {
			natIP = g.PrivateIP.String()
		}
	}
	r := probeSpec(t, n, "orders/0", "db:5432", "tcp")
	xs := check(t, r, Timeout, CodeSGRulesMismatch)
	if x := xs[CodeSGRulesMismatch]; x.Component == nil || x.Component.Name != "db-sg" {
		t.Errorf("the cause is %+v, want db-sg", x)
	}
	var sawTGW bool
	for _, h := range r.Forward {
		if h.Component != nil && h.Component.Type == "transit-gateway-attachment" {
			sawTGW = true
			if h.Packet.Source.String() != natIP {
				t.Errorf("the packet crosses the transit gateway from %s, want the NAT gateway's %s", h.Packet.Source, natIP)
			}
		}
	}
	if !sawTGW {
		t.Errorf("the path does not cross the transit gateway: %+v", r.Forward)
	}
	fixed := storyEngine(t, story, "cidr: 100.64.0.0/16}]}", "cidr: 10.0.0.0/26}]}")
	n = compileEngine(fixed)
	r = probeSpec(t, n, "orders/0", "db:5432", "tcp")
	if r.Verdict != Connected {
		t.Fatalf("with the NAT gateway's subnet admitted the probe is %s: %s", r.Verdict, r.Summary)
	}
	last := r.Return[len(r.Return)-1]
	if last.Action != ActionReceived || last.Packet.Destination.String() == natIP {
		t.Errorf("the reply ends at %+v, want received by the task at its own address", last)
	}
	// Without the route to the transit gateway the private NAT gateway
	// reaches nothing.
	cut := storyEngine(t, story, "routable-rt: {vpc: app, routes: [{destination: 10.20.0.0/16, target: hub}]}", "routable-rt: {vpc: app}")
	r = probeSpec(t, compileEngine(cut), "orders/0", "db:5432", "tcp")
	check(t, r, NoRoute, CodeCannotRoute)
}

// A public NAT gateway whose subnet routes another VPC's range to a
// transit gateway forwards there too (not to the internet gateway); the
// reply to its private address must be routed back by the destination's
// subnet, or the client times out on the return path.
func TestPublicNATIntoTGWReturnRoute(t *testing.T) {
	const story = "examples/failures/nat-gateway-tgw-return-route.yaml"
	n := compileEngine(storyEngine(t, story))
	r := probeSpec(t, n, "billing/0", "license:8443", "tcp")
	xs := check(t, r, Timeout, CodeReturnRouteMismatch)
	if x := xs[CodeReturnRouteMismatch]; x.Path != "return" || x.Component == nil || x.Component.Name != "shared-rt" {
		t.Errorf("the cause is %+v, want the return path at shared-rt", x)
	}
	fixed := storyEngine(t, story, "- {destination: 10.0.11.0/24, target: hub}", "- {destination: 10.0.1.0/24, target: hub}\n      - {destination: 10.0.11.0/24, target: hub}")
	r = probeSpec(t, compileEngine(fixed), "billing/1", "license:8443", "tcp")
	if r.Verdict != Connected {
		t.Fatalf("with the NAT gateway's subnet routed back the probe is %s: %s", r.Verdict, r.Summary)
	}
	// The internet still leaves by the same NAT gateway's route to the
	// internet gateway.
	if r := probeSpec(t, compileEngine(fixed), "billing/0", "203.0.113.9:443", "tcp"); r.Verdict != Connected {
		t.Errorf("the internet through the same NAT gateway is %s: %s", r.Verdict, r.Summary)
	}
}

// An egress VPC whose attachment subnets route the internet straight to
// the internet gateway: the spoke's packet reaches it with its private
// source and is dropped there (a timeout naming the attachment subnet's
// route table), not left as an unsupported path; through the NAT gateway
// it connects.
func TestEgressAttachmentSubnetToIGW(t *testing.T) {
	const story = "examples/failures/tgw-egress-attachment-subnet-igw-route.yaml"
	n := compileEngine(storyEngine(t, story))
	r := probeSpec(t, n, "client", "198.51.100.7:443", "tcp")
	xs := check(t, r, Timeout, CodeIGWPublicIPEgress)
	if x := xs[CodeIGWPublicIPEgress]; x.Component == nil || x.Component.Name != "egress-tgw-rt" || r.HasCode(CodeUnsupportedComponent) {
		t.Errorf("the cause is %+v (%s), want egress-tgw-rt", x, codeList(r))
	}
	if last := r.Forward[len(r.Forward)-1]; last.Component == nil || last.Component.Type != "internet-gateway" || !last.Blocked {
		t.Errorf("the packet ends at %+v, want dropped at the internet gateway", last)
	}
	fixed := storyEngine(t, story, "egress-tgw-rt: {vpc: egress, routes: [{destination: 0.0.0.0/0, target: igw}]}",
		"egress-tgw-rt: {vpc: egress, routes: [{destination: 0.0.0.0/0, target: nat-a}]}")
	if r := probeSpec(t, compileEngine(fixed), "client", "198.51.100.7:443", "tcp"); r.Verdict != Connected {
		t.Errorf("through the NAT gateway the probe is %s: %s", r.Verdict, r.Summary)
	}
}

// A NAT gateway whose subnet sends the internet back to the transit
// gateway that handed it the packet, whose table sends it back again: the
// walk stops at the NAT gateway's second crossing with a routing loop, not
// an endless walk.
func TestNATIntoTGWLoop(t *testing.T) {
	e := storyEngine(t, "examples/failures/tgw-egress-nat-subnet-no-return-route.yaml",
		"egress-public-rt: {vpc: egress, routes: [{destination: 0.0.0.0/0, target: igw}]}", "egress-public-rt: {vpc: egress, routes: [{destination: 0.0.0.0/0, target: hub}]}",
		"egress-rtb: {transit_gateway: hub}", "egress-rtb: {transit_gateway: hub, routes: [{destination: 0.0.0.0/0, target: egress-att}]}")
	r := probeSpec(t, compileEngine(e), "client", "198.51.100.7:443", "tcp")
	xs := check(t, r, NoRoute, CodeCannotRoute)
	if m := xs[CodeCannotRoute].Message; !strings.Contains(m, "routing loop") {
		t.Errorf("the explanation: %s", m)
	}
}
