package reach

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

const natChainStory = "examples/failures/private-nat-tgw-egress-nat-return-route.yaml"

// natChainFixed is the story with the private NAT gateway's routable range
// routed back to the transit gateway from the egress NAT gateway's subnet.
const natChainFixedFrom, natChainFixedTo = "- {destination: 100.64.0.0/10, target: hub}", "- {destination: 10.0.0.0/24, target: hub}"

// A private NAT gateway sends the internet into a transit gateway, whose
// egress VPC's public NAT gateway takes it to the internet: two
// translations, the second NAT gateway seeing the first one's address.
// Its subnet routing only the workloads' range back loses the reply there
// (the decisive hop is that route table); routing the first NAT gateway's
// range back connects, the reply translated back at each NAT gateway.
func TestNATChainPrivateThenPublic(t *testing.T) {
	e := storyEngine(t, natChainStory)
	ips := map[string]netip.Addr{}
	for _, g := range stateOf(e).NatGateways {
		ips[g.Tags.Name()] = g.PrivateIP
	}
	priv, egress := ips["nat-private"], ips["nat-egress"]
	if !priv.IsValid() || !egress.IsValid() {
		t.Fatalf("the story's NAT gateways: %v", ips)
	}
	r := probeSpec(t, compileEngine(e), "batch", "198.51.100.7:443", "tcp")
	xs := check(t, r, Timeout, CodeReturnRouteMismatch)
	if x := xs[CodeReturnRouteMismatch]; x.Path != "return" || x.Component == nil || x.Component.Name != "egress-public-rt" || x.Address != priv {
		t.Errorf("the cause is %+v, want the return path at egress-public-rt for %s", x, priv)
	}
	if r.HasCode(CodeUnsupportedComponent) {
		t.Errorf("the chain is not followed: %s", codeList(r))
	}
	var translations []netip.Addr
	for _, h := range r.Forward {
		if h.Action == ActionTranslated && h.Component != nil && h.Component.Type == "nat-gateway" {
			translations = append(translations, h.Packet.Source)
		}
	}
	if len(translations) != 2 || translations[0] != priv || translations[1] != egress {
		t.Errorf("the NAT gateways translate the source to %v, want [%s %s]", translations, priv, egress)
	}

	fixed := storyEngine(t, natChainStory, natChainFixedFrom, natChainFixedTo)
	r = probeSpec(t, compileEngine(fixed), "batch", "198.51.100.7:443", "tcp")
	if r.Verdict != Connected {
		t.Fatalf("with the private NAT gateway's range routed back the probe is %s: %s", r.Verdict, r.Summary)
	}
	var back []string
	for _, h := range r.Return {
		if h.Action == ActionTranslated && h.Component != nil && h.Component.Type == "nat-gateway" {
			back = append(back, h.Component.Name+"→"+h.Packet.Destination.String())
		}
	}
	batch := r.Return[len(r.Return)-1].Packet.Destination
	if len(back) != 2 || back[0] != "nat-egress→"+priv.String() || back[1] != "nat-private→"+batch.String() || !strings.HasPrefix(batch.String(), "100.64.1.") {
		t.Errorf("the reply is translated back as %v (ends at %s), want nat-egress to %s, then nat-private to the instance", back, batch, priv)
	}
	if last := r.Return[len(r.Return)-1]; last.Action != ActionReceived || last.Component == nil || last.Component.Type != "network-interface" {
		t.Errorf("the reply ends at %+v, want received by the instance", last)
	}
	// The tasks start: the internal ALB answers.
	if r := probeSpec(t, compileEngine(fixed), "client", "orders-alb:80", "tcp"); r.Verdict != "http 200" {
		t.Errorf("the ALB with the tasks started is %s: %s", r.Verdict, r.Summary)
	}
}

// The second NAT gateway's subnet's network ACL is on the reply's way in
// (from the internet gateway) and out (to the transit gateway): one that
// lets in only the internet's well-known ports drops the reply to the NAT
// gateway's ephemeral port, and names itself.
func TestNATChainSecondSubnetNACL(t *testing.T) {
	e := storyEngine(t, natChainStory, natChainFixedFrom, natChainFixedTo, "security_groups:", `network_acls:
  egress-public-acl:
    vpc: egress
    subnets: [egress-public-a]
    ingress:
      - {rule: 100, protocol: tcp, ports: 443, cidr: 0.0.0.0/0, action: allow}
      - {rule: 110, protocol: all, cidr: 10.0.0.0/8, action: allow}
    egress:
      - {rule: 100, protocol: all, cidr: 0.0.0.0/0, action: allow}

security_groups:`)
	r := probeSpec(t, compileEngine(e), "batch", "198.51.100.7:443", "tcp")
	if r.Verdict != Timeout {
		t.Fatalf("verdict %s (%s), want timeout", r.Verdict, codeList(r))
	}
	var found bool
	for _, x := range r.Explanations {
		if x.Path == "return" && x.Component != nil && x.Component.Name == "egress-public-acl" {
			found = true
		}
	}
	if !found {
		t.Errorf("the reply is not dropped at egress-public-acl: %s", codeList(r))
	}
}

// twoPrivateEdits turn private-nat-tgw-sg-task-range.yaml into two private
// NAT gateways on one path: a shared NAT VPC (10.50.0.0/16) between the
// app VPC's private NAT gateway and the data VPC, the database's group
// admitting the shared NAT gateway's subnet.
var twoPrivateEdits = []string{
	"cidr: 100.64.0.0/16}]}", "cidr: 10.50.0.0/26}]}",
	"  data: {cidr: 10.20.0.0/16, internet_gateway: data-igw}", "  data: {cidr: 10.20.0.0/16, internet_gateway: data-igw}\n  natvpc: {cidr: 10.50.0.0/16}",
	"  data-public-a:", "  nat-att-a: {vpc: natvpc, cidr: 10.50.1.0/24, az: us-east-1a, route_table: nat-att-rt}\n  nat-att-b: {vpc: natvpc, cidr: 10.50.2.0/24, az: us-east-1b, route_table: nat-att-rt}\n  nat-sub-a: {vpc: natvpc, cidr: 10.50.0.0/26, az: us-east-1a, route_table: nat-sub-rt}\n  data-public-a:",
	"  public-rt:", "  nat-att-rt: {vpc: natvpc, routes: [{destination: 10.20.0.0/16, target: nat-shared}]}\n  nat-sub-rt: {vpc: natvpc, routes: [{destination: 10.0.0.0/8, target: hub}]}\n  public-rt:",
	"- {destination: 10.0.0.0/24, target: hub}", "- {destination: 10.50.0.0/16, target: hub}",
	"  nat-data:", "  nat-shared: {subnet: nat-sub-a, connectivity: private}\n  nat-data:",
	"  hub: {}", "  hub: {default_association: false, default_propagation: false}\ntransit_gateway_route_tables:\n  spokes: {transit_gateway: hub, routes: [{destination: 10.20.0.0/16, target: nat-att}]}\n  shared: {transit_gateway: hub}",
	"  app-att: {transit_gateway: hub, vpc: app, subnets: [routable-a, routable-b]}", "  app-att: {transit_gateway: hub, vpc: app, subnets: [routable-a, routable-b], route_table: spokes, propagate_to: [shared]}",
	"  data-att: {transit_gateway: hub, vpc: data, subnets: [data-a, data-b]}", "  data-att: {transit_gateway: hub, vpc: data, subnets: [data-a, data-b], route_table: spokes, propagate_to: [shared]}\n  nat-att: {transit_gateway: hub, vpc: natvpc, subnets: [nat-att-a, nat-att-b], route_table: shared, propagate_to: [spokes]}",
}

// Two private NAT gateways on one path: the app VPC's translates its
// non-routable range into the transit gateway, which sends the data VPC's
// range to a shared NAT VPC, whose private NAT gateway translates again
// into the transit gateway, to the destination. The destination sees the
// second NAT gateway's address; the reply comes back through both.
func TestNATChainTwoPrivate(t *testing.T) {
	e := storyEngine(t, "examples/failures/private-nat-tgw-sg-task-range.yaml", twoPrivateEdits...)
	var shared netip.Addr
	for _, g := range stateOf(e).NatGateways {
		if g.Tags.Name() == "nat-shared" {
			shared = g.PrivateIP
		}
	}
	r := probeSpec(t, compileEngine(e), "orders/0", "db:5432", "tcp")
	if r.Verdict != Connected {
		t.Fatalf("through two private NAT gateways the probe is %s: %s (%s)", r.Verdict, r.Summary, codeList(r))
	}
	var seen netip.Addr
	for _, h := range r.Forward {
		if h.Action == ActionReceived || h.Action == ActionAllowed && h.Direction == "ingress" && h.Component != nil && h.Component.Type == "network-interface" {
			seen = h.Packet.Source
		}
	}
	if seen != shared {
		t.Errorf("the database sees %s, want the second NAT gateway's %s", seen, shared)
	}
	var back []string
	for _, h := range r.Return {
		if h.Action == ActionTranslated && h.Component != nil && h.Component.Type == "nat-gateway" {
			back = append(back, h.Component.Name)
		}
	}
	if strings.Join(back, ",") != "nat-shared,nat-private" {
		t.Errorf("the reply is translated back at %v, want nat-shared then nat-private", back)
	}
	// The shared NAT VPC's subnet routing only the data VPC: the reply,
	// translated back to the first NAT gateway's address, is lost at the
	// second NAT gateway's route table.
	cut := storyEngine(t, "examples/failures/private-nat-tgw-sg-task-range.yaml", append(slices.Clone(twoPrivateEdits),
		"nat-sub-rt: {vpc: natvpc, routes: [{destination: 10.0.0.0/8, target: hub}]}", "nat-sub-rt: {vpc: natvpc, routes: [{destination: 10.20.0.0/16, target: hub}]}")...)
	r = probeSpec(t, compileEngine(cut), "orders/0", "db:5432", "tcp")
	xs := check(t, r, Timeout, CodeReturnRouteMismatch)
	if x := xs[CodeReturnRouteMismatch]; x.Component == nil || x.Component.Name != "nat-sub-rt" || x.Path != "return" {
		t.Errorf("the cause is %+v, want the return path at nat-sub-rt", x)
	}
}

// A private NAT gateway whose subnet routes the peer VPC over a peering
// connection: the database sees the NAT gateway's address, its subnet
// must route it back over the same connection (the tasks' range routed
// back is not enough), and the reply is translated back to the task.
func TestPrivateNATIntoPeering(t *testing.T) {
	const story = "examples/failures/private-nat-peering-return-route.yaml"
	e := storyEngine(t, story)
	var natIP netip.Addr
	for _, g := range stateOf(e).NatGateways {
		if g.Tags.Name() == "nat-private" {
			natIP = g.PrivateIP
		}
	}
	r := probeSpec(t, compileEngine(e), "orders/0", "db:5432", "tcp")
	xs := check(t, r, Timeout, CodeReturnRouteMismatch)
	if x := xs[CodeReturnRouteMismatch]; x.Path != "return" || x.Component == nil || x.Component.Name != "data-rt" || x.Address != natIP {
		t.Errorf("the cause is %+v, want the return path at data-rt for %s", x, natIP)
	}
	var crossed bool
	for _, h := range r.Forward {
		if h.Component != nil && h.Component.Type == "vpc-peering-connection" {
			crossed = true
			if h.Packet.Source != natIP {
				t.Errorf("the packet crosses the peering connection from %s, want the NAT gateway's %s", h.Packet.Source, natIP)
			}
		}
	}
	if !crossed {
		t.Errorf("the path does not cross the peering connection: %+v", r.Forward)
	}
	fixed := storyEngine(t, story, "- {destination: 100.64.0.0/16, target: app-data}", "- {destination: 10.0.0.0/24, target: app-data}")
	r = probeSpec(t, compileEngine(fixed), "orders/0", "db:5432", "tcp")
	if r.Verdict != Connected {
		t.Fatalf("with the NAT gateway's range routed back the probe is %s: %s", r.Verdict, r.Summary)
	}
	last := r.Return[len(r.Return)-1]
	if last.Action != ActionReceived || !strings.HasPrefix(last.Packet.Destination.String(), "100.64.") {
		t.Errorf("the reply ends at %+v, want received by the task at its own address", last)
	}
	// The database's group admitting the tasks' range, not the NAT
	// gateway's subnet, drops the connection.
	sg := storyEngine(t, story, "- {destination: 100.64.0.0/16, target: app-data}", "- {destination: 10.0.0.0/24, target: app-data}",
		"cidr: 10.0.0.0/26}]}", "cidr: 100.64.0.0/16}]}")
	r = probeSpec(t, compileEngine(sg), "orders/0", "db:5432", "tcp")
	check(t, r, Timeout, CodeSGRulesMismatch)
	// Without the NAT gateway subnet's route to the peering connection a
	// private NAT gateway reaches nothing.
	cut := storyEngine(t, story, "routable-rt: {vpc: app, routes: [{destination: 10.20.0.0/16, target: app-data}]}", "routable-rt: {vpc: app}")
	check(t, probeSpec(t, compileEngine(cut), "orders/0", "db:5432", "tcp"), NoRoute, CodeCannotRoute)
}
