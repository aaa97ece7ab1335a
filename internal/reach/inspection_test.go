package reach

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// An inspection VPC behind a transit gateway (the story: a firewall
// instance per zone; each zone's attachment subnet routes everything to
// its zone's firewall, whose subnet routes the spokes back to the
// gateway). The request goes through the firewall of the zone it entered
// by; the reply, without appliance mode, through the replying side's
// zone's: between zones they differ and the reply is dropped.
func TestInspectionVPCAcrossTGW(t *testing.T) {
	const story = "examples/failures/analyzer-only/tgw-inspection-vpc-appliance-mode-off.yaml"
	probe := func(t *testing.T, edits ...string) *Result {
		t.Helper()
		n := compileEngine(storyEngine(t, story, edits...))
		q, err := NewQuery(n, "orders/0", "ledger/0:8443", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return Probe(n, q)
	}
	through := func(path []Hop, who string) bool {
		return slices.ContainsFunc(path, func(h Hop) bool {
			return h.Action == ActionForwarded && h.AttachedTo != nil && h.AttachedTo.Name == who
		})
	}
	const modeOff = "route_table: inspected}"
	for _, c := range []struct {
		name     string
		edits    []string
		verdict  Verdict
		code     string
		fwd, ret string // the firewall each direction goes through
	}{
		{"between zones, appliance mode off", nil, Timeout, CodeApplianceAsymmetric, "fw-a", ""},
		{"between zones, appliance mode on", []string{modeOff, "route_table: inspected, appliance_mode: true}"}, Connected, "", "fw-a", "fw-a"},
		{"one zone, appliance mode off", []string{"subnets: [shared-b]", "subnets: [shared-a]"}, Connected, "", "fw-a", "fw-a"},
		{"one firewall for both zones", []string{"routes: [{destination: 0.0.0.0/0, target: fw-b}]", "routes: [{destination: 0.0.0.0/0, target: fw-a}]"}, Connected, "", "fw-a", "fw-a"},
		{"the firewall checks source and destination", []string{"fw-a: {subnet: fw-a, instance_type: c5.large, security_groups: [fw-sg], source_dest_check: false}",
			"fw-a: {subnet: fw-a, instance_type: c5.large, security_groups: [fw-sg]}", modeOff, "route_table: inspected, appliance_mode: true}"}, Timeout, CodeENISourceDestCheck, "", ""},
		{"only the reply is routed through the inspection VPC", []string{"routes: [{destination: 0.0.0.0/0, target: inspection-att}]",
			"routes: [{destination: 0.0.0.0/0, target: inspection-att}, {destination: 10.2.0.0/16, target: shared-att}]", modeOff, "route_table: inspected, appliance_mode: true}"},
			Timeout, CodeApplianceAsymmetric, "", ""},
		{"the firewall's group admits nothing", []string{"fw-sg: {vpc: inspection, ingress: [{protocol: -1, cidr: 10.0.0.0/8}]}", "fw-sg: {vpc: inspection}"}, Timeout, CodeSGRulesMismatch, "", ""},
		{"the firewalls' subnet routes back to a firewall", []string{"    routes: [{destination: 10.0.0.0/8, target: hub}]\n\ntransit_gateways",
			"    routes: [{destination: 10.0.0.0/8, target: fw-a}]\n\ntransit_gateways"}, Timeout, CodeCannotRoute, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := probe(t, c.edits...)
			if r.Verdict != c.verdict || c.code != "" && !r.HasCode(c.code) {
				t.Fatalf("%s, want %s %s: %s", r.Verdict, c.verdict, c.code, r.Summary)
			}
			if c.fwd != "" && !through(r.Forward, c.fwd) {
				t.Errorf("the request does not go through %s: %+v", c.fwd, r.Forward)
			}
			if c.ret != "" && !through(r.Return, c.ret) {
				t.Errorf("the reply does not go through %s: %+v", c.ret, r.Return)
			}
		})
	}
}

// The same inspection VPC with a Gateway Load Balancer: each zone's
// attachment subnet routes to its zone's GWLB endpoint, whose GWLB sends
// the packet to the firewall instances (GENEVE) and back; the endpoints'
// subnets route the spokes back to the transit gateway. Without appliance
// mode the reply between zones meets the other zone's endpoint.
func TestInspectionVPCGWLBEndpointsAcrossTGW(t *testing.T) {
	e := storyEngine(t, "examples/failures/analyzer-only/tgw-inspection-vpc-appliance-mode-off.yaml")
	st, _ := e.Snapshot()
	subnet := map[string]model.SubnetID{}
	for _, s := range st.Subnets {
		subnet[s.Tags.Name()] = s.ID
	}
	table := map[string]model.RouteTableID{}
	for _, rt := range st.RouteTables {
		table[rt.Tags.Name()] = rt.ID
	}
	var targets []engine.TargetDescription
	var vpc model.VpcID
	for _, name := range []string{"fw-a", "fw-b"} {
		for _, in := range st.Instances {
			if in.Tags.Name() == name {
				targets, vpc = append(targets, engine.TargetDescription{ID: string(in.ID)}), in.VpcID
			}
		}
	}
	lb := orPanic(e.CreateLoadBalancer(engine.CreateLoadBalancerInput{Name: "inspection", Type: "gateway", Subnets: []model.SubnetID{subnet["fw-a"], subnet["fw-b"]}}))
	tg := orPanic(e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: "firewalls", Protocol: "GENEVE", Port: 6081, VpcID: vpc, HealthCheckPort: "22"}))
	if err := e.RegisterTargets(tg.ARN, targets); err != nil {
		t.Fatal(err)
	}
	orPanic(e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, DefaultActions: []model.ListenerAction{{Type: "forward", TargetGroupARN: tg.ARN}}}))
	svc := orPanic(e.CreateEndpointService(engine.EndpointServiceInput{GatewayLBs: []string{lb.ARN}}))
	endpoint := map[string]*model.VpcEndpoint{}
	for _, z := range []string{"a", "b"} {
		endpoint[z] = orPanic(e.CreateVpcEndpoint(engine.CreateVpcEndpointInput{VpcID: vpc, Type: "GatewayLoadBalancer",
			ServiceName: "com.amazonaws.vpce.us-east-1." + string(svc.ID), SubnetIDs: []model.SubnetID{subnet["fw-"+z]}}))
		if err := e.Converge(); err != nil { // pending until available, as a client waits
			t.Fatal(err)
		}
		if err := e.ReplaceRoute(engine.RouteInput{RouteTableID: table["tgw-"+z], DestinationCIDR: "0.0.0.0/0", VpcEndpointID: endpoint[z].ID}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	probe := func() *Result {
		n := compileEngine(e)
		q, err := NewQuery(n, "orders/0", "ledger/0:8443", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return Probe(n, q)
	}
	r := probe()
	if r.Verdict != Timeout || !r.HasCode(CodeApplianceAsymmetric) || !r.HasCode(CodeGWLBInspected) {
		t.Fatalf("%s: %s", r.Verdict, r.Summary)
	}
	if x := r.Blocking()[0]; !strings.Contains(x.Message, string(endpoint["b"].ID)) || !strings.Contains(x.Message, string(endpoint["a"].ID)) {
		t.Errorf("the explanation names not both endpoints: %s", x.Message)
	}
	var att *model.TransitGatewayAttachment
	for _, a := range st.TransitGatewayAttachments {
		if a.Tags.Name() == "inspection-att" {
			att = a
		}
	}
	if _, err := e.ModifyTransitGatewayVpcAttachment(engine.ModifyTGWVpcAttachmentInput{ID: att.ID, ApplianceModeSupport: "enable"}); err != nil {
		t.Fatal(err)
	}
	if r := probe(); r.Verdict != Connected {
		t.Fatalf("appliance mode on: %s: %s", r.Verdict, r.Summary)
	}
}

// The same inspection VPC with AWS Network Firewall: each zone's
// attachment subnet routes to the firewall's endpoint in that zone (a
// GWLB endpoint of an AWS-owned service, tagged AWSNetworkFirewallManaged,
// as a snapshot of DescribeVpcEndpoints holds it; the service is not in
// the state). The firewall's rules pass the flow [choice]; the reply
// between zones meets the other zone's endpoint without appliance mode.
func TestInspectionVPCFirewallEndpoints(t *testing.T) {
	for _, mode := range []string{"disable", "enable"} {
		t.Run(mode, func(t *testing.T) {
			e := storyEngine(t, "examples/failures/analyzer-only/tgw-inspection-vpc-appliance-mode-off.yaml")
			st, _ := e.Snapshot()
			subnet := map[string]*model.Subnet{}
			for _, s := range st.Subnets {
				subnet[s.Tags.Name()] = s
			}
			for i, z := range []string{"a", "b"} {
				id := model.VpcEndpointID("vpce-0f1e2d3c4b5a6978" + strconv.Itoa(i))
				st.VpcEndpoints[id] = &model.VpcEndpoint{ID: id, VpcID: subnet["fw-"+z].VpcID, Type: "GatewayLoadBalancer", State: "available",
					ServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f6a7b" + strconv.Itoa(i), Subnets: []model.SubnetID{subnet["fw-"+z].ID},
					Tags: model.Tags{"AWSNetworkFirewallManaged": "true", "Firewall": "east-west"}}
				for _, rt := range st.RouteTables {
					if rt.Tags.Name() == "tgw-"+z {
						rt.Routes[len(rt.Routes)-1] = model.Route{Destination: netip.MustParsePrefix("0.0.0.0/0"), Target: model.TargetVpcEndpoint, TargetID: string(id), Origin: "CreateRoute"}
					}
				}
			}
			for _, a := range st.TransitGatewayAttachments {
				if a.Tags.Name() == "inspection-att" {
					a.ApplianceModeSupport = mode
				}
			}
			n := Compile(st)
			q, err := NewQuery(n, "orders/0", "ledger/0:8443", "tcp")
			if err != nil {
				t.Fatal(err)
			}
			r := Probe(n, q)
			if r.HasCode(CodeUnsupportedComponent) || !r.HasCode(CodeGWLBInspected) {
				t.Fatalf("%s: %s", r.Verdict, r.Summary)
			}
			if mode == "disable" && (r.Verdict != Timeout || !r.HasCode(CodeApplianceAsymmetric)) || mode == "enable" && r.Verdict != Connected {
				t.Fatalf("appliance mode %s: %s: %s", mode, r.Verdict, r.Summary)
			}
		})
	}
}

// Middlebox routing in one VPC: the private subnets route the other
// public subnet's range (more specific than the local route) to an
// appliance instance, which forwards the packet untranslated; its own
// subnet delivers it by the local route. With its source/destination
// check on, the instance drops it.
func TestApplianceInOwnVPC(t *testing.T) {
	edits := func(sdc string) []string {
		return []string{"    public_ip: true\n", sdc,
			"routes: [{destination: 0.0.0.0/0, target: nat-box}]", "routes: [{destination: 0.0.0.0/0, target: nat-box}, {destination: 10.0.2.0/24, target: nat-box}]",
			"\ninstances:\n", "\ninstances:\n  db: {subnet: public-b, instance_type: t3.micro, security_groups: [nat-sg]}\n"}
	}
	r := probeSpec(t, natInstanceStory(t, edits("    public_ip: true\n")...), "worker", "db:22", "tcp")
	check(t, r, Timeout, CodeENISourceDestCheck)
	r = probeSpec(t, natInstanceStory(t, edits(sdcOff)...), "worker", "db:22", "tcp")
	checkClean(t, r, Connected)
	i := slices.IndexFunc(r.Forward, func(h Hop) bool {
		return h.Action == ActionForwarded && h.AttachedTo != nil && h.AttachedTo.Name == "nat-box"
	})
	if i < 0 || r.Forward[i].Packet.Source.String() != "10.0.11.4" {
		t.Errorf("not forwarded untranslated through nat-box: %+v", r.Forward)
	}
}

// Lint finds the inspection VPC's attachment without appliance mode whose
// zones send the spokes to different firewalls, and nothing once
// appliance mode is on or one firewall serves both zones.
func TestLintApplianceModeOff(t *testing.T) {
	const story = "examples/failures/analyzer-only/tgw-inspection-vpc-appliance-mode-off.yaml"
	for _, c := range []struct {
		name  string
		edits []string
		want  bool
	}{
		{"the story", nil, true},
		{"appliance mode on", []string{"route_table: inspected}", "route_table: inspected, appliance_mode: true}"}, false},
		{"one firewall for both zones", []string{"routes: [{destination: 0.0.0.0/0, target: fw-b}]", "routes: [{destination: 0.0.0.0/0, target: fw-a}]"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []Finding
			for _, f := range Lint(compileEngine(storyEngine(t, story, c.edits...))) {
				if f.Code == CodeApplianceAsymmetric {
					got = append(got, f)
				}
			}
			if len(got) > 1 || (len(got) == 1) != c.want {
				t.Fatalf("findings %+v, want one: %v", got, c.want)
			}
			if c.want && (got[0].Resource.Name != "inspection-att" || !strings.Contains(got[0].Message, "in us-east-1a but to fw-b")) {
				t.Errorf("finding %+v", got[0])
			}
		})
	}
}
