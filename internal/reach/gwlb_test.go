package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// gwlbFixture is an inspection VPC (10.0.0.0/16, zone us-east-1a): an
// instance "app" (public IP, sshd on 22) in subnet app, whose route table
// sends 0.0.0.0/0 to a Gateway Load Balancer endpoint in subnet gwlbe; the
// endpoint's service fronts a Gateway Load Balancer in subnet appliances
// with the appliance instance "fw" registered in a GENEVE target group
// that health-checks TCP 22. Subnets gwlbe and appliances use the main
// route table (0.0.0.0/0 to the internet gateway).
type gwlbFixture struct {
	e        *engine.Engine
	vpc      *model.VPC
	fwGroup  model.SecurityGroupID
	appTable model.RouteTableID
	igw      model.InternetGatewayID
	ep       *model.VpcEndpoint
	lbARN    string
}

func newGWLBFixture(t *testing.T) *gwlbFixture {
	t.Helper()
	e := engine.New(engine.WithIDs(engine.SeededIDs(7)))
	x := &gwlbFixture{e: e}
	x.vpc = orPanic(e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}))
	sub := func(cidr string) *model.Subnet {
		return orPanic(e.CreateSubnet(engine.CreateSubnetInput{VpcID: x.vpc.ID, CIDR: cidr, AvailabilityZone: "us-east-1a"}))
	}
	app, gwlbe, appliances := sub("10.0.1.0/24"), sub("10.0.2.0/24"), sub("10.0.3.0/24")
	g := orPanic(e.CreateInternetGateway(nil))
	x.igw = g.ID
	if err := e.AttachInternetGateway(g.ID, x.vpc.ID); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.CreateRoute(engine.RouteInput{RouteTableID: x.vpc.MainRouteTable, DestinationCIDR: "0.0.0.0/0", GatewayID: string(g.ID)}))
	group := func(name, cidr string) model.SecurityGroupID {
		sg := orPanic(e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: x.vpc.ID, Name: name, Description: name}))
		orPanic(e.AuthorizeSecurityGroup(sg.ID, false, []engine.IPPermission{{Protocol: "tcp", FromPort: intp(22), ToPort: intp(22),
			CIDRs: []engine.RuleSource{{Value: cidr}}}}))
		return sg.ID
	}
	yes := true
	orPanic(e.RunInstances(engine.RunInstancesInput{ImageID: "ami-12345678", InstanceType: "t3.micro", SubnetID: app.ID, AssociatePublicIP: &yes,
		SecurityGroupIDs: []model.SecurityGroupID{group("app", "0.0.0.0/0")}, Tags: model.Tags{"Name": "app"}}))
	x.fwGroup = group("fw", "10.0.0.0/16")
	orPanic(e.AuthorizeSecurityGroup(x.fwGroup, false, []engine.IPPermission{{Protocol: "udp", FromPort: intp(6081), ToPort: intp(6081),
		CIDRs: []engine.RuleSource{{Value: "10.0.3.0/24"}}}}))
	fw := orPanic(e.RunInstances(engine.RunInstancesInput{ImageID: "ami-12345678", InstanceType: "c5.large", SubnetID: appliances.ID,
		SecurityGroupIDs: []model.SecurityGroupID{x.fwGroup}, Tags: model.Tags{"Name": "fw"}}))
	must(e.Converge()) // the instances run

	lb := orPanic(e.CreateLoadBalancer(engine.CreateLoadBalancerInput{Name: "inspection", Type: "gateway", Subnets: []model.SubnetID{appliances.ID}}))
	x.lbARN = lb.ARN
	tg := orPanic(e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: "fw", Protocol: "GENEVE", Port: 6081, VpcID: x.vpc.ID, HealthCheckPort: "22"}))
	must(e.RegisterTargets(tg.ARN, []engine.TargetDescription{{ID: string(fw.Instances[0].ID)}}))
	orPanic(e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, DefaultActions: []model.ListenerAction{{Type: "forward", TargetGroupARN: tg.ARN}}}))
	svc := orPanic(e.CreateEndpointService(engine.EndpointServiceInput{GatewayLBs: []string{lb.ARN}}))
	x.ep = orPanic(e.CreateVpcEndpoint(engine.CreateVpcEndpointInput{VpcID: x.vpc.ID, Type: "GatewayLoadBalancer",
		ServiceName: "com.amazonaws.vpce.us-east-1." + string(svc.ID), SubnetIDs: []model.SubnetID{gwlbe.ID}}))
	must(e.Converge()) // the endpoint is pending until available, as a client waits

	rt := orPanic(e.CreateRouteTable(x.vpc.ID, nil))
	x.appTable = rt.ID
	orPanic(e.AssociateRouteTable(rt.ID, app.ID))
	must(e.CreateRoute(engine.RouteInput{RouteTableID: rt.ID, DestinationCIDR: "0.0.0.0/0", VpcEndpointID: x.ep.ID}))
	must(e.Converge())
	return x
}

// A route to a Gateway Load Balancer endpoint sends the packet through
// the GWLB's healthy appliance and back (bump in the wire): the endpoint's
// subnet routes it on to the internet gateway. Without an edge route on
// the internet gateway the reply comes straight back to the app subnet,
// past the appliance, which saw one direction of the flow and drops it
// (round 38: this was "connected" before, the reply's bypass unflagged);
// the gateway route table's route for the app subnet through the
// endpoint makes the flow symmetric.
func TestProbeThroughGWLB(t *testing.T) {
	x := newGWLBFixture(t)
	r := probeSpec(t, compileEngine(x.e), "app", "198.51.100.10:443", "tcp")
	got := check(t, r, Timeout, CodeIngressAsymmetric)
	asym := got[CodeIngressAsymmetric]
	if asym.Component == nil || asym.Component.ID != string(x.ep.ID) || !strings.Contains(asym.Message, "10.0.1.0/24") || asym.Route != nil {
		t.Errorf("the asymmetry names the endpoint and the subnet's range for the edge route: %+v", asym)
	}
	info, ok := got[CodeGWLBInspected]
	if !ok || info.Blocking || !strings.Contains(info.Message, "fw") {
		t.Fatalf("no %s detail naming the appliance: %s %+v", CodeGWLBInspected, codeList(r), info)
	}
	if h := hopsThrough(r, "vpc-endpoint"); len(h) != 1 || h[0].Component.ID != string(x.ep.ID) {
		t.Errorf("forward hops at the endpoint: %+v", h)
	}
	if h := hopsThrough(r, "load-balancer"); len(h) != 1 || h[0].Component.ARN != x.lbARN || h[0].Action != ActionForwarded {
		t.Errorf("forward hops at the GWLB: %+v", h)
	}

	edge := orPanic(x.e.CreateRouteTable(x.vpc.ID, nil))
	orPanic(x.e.AssociateRouteTableGateway(edge.ID, string(x.igw)))
	if err := x.e.CreateRoute(engine.RouteInput{RouteTableID: edge.ID, DestinationCIDR: "10.0.1.0/24", VpcEndpointID: x.ep.ID}); err != nil {
		t.Fatal(err)
	}
	r = probeSpec(t, compileEngine(x.e), "app", "198.51.100.10:443", "tcp")
	check(t, r, Connected)
	if n := returnHopsAt(r, string(x.ep.ID)); n == 0 {
		t.Errorf("the reply does not pass endpoint %s", x.ep.ID)
	}
}

// The other way: an internet client reaches the app's public address
// straight through the internet gateway (no edge route), and the app
// subnet's route sends the reply to the endpoint, whose appliance never
// saw the request.
func TestProbeThroughGWLBReverseAsymmetric(t *testing.T) {
	x := newGWLBFixture(t)
	r := probeSpec(t, compileEngine(x.e), "internet", "app:22", "tcp")
	got := check(t, r, Timeout, CodeIngressAsymmetric)
	if a := got[CodeIngressAsymmetric]; a.Component == nil || a.Component.ID != string(x.ep.ID) || !strings.Contains(a.Message, "edge association") {
		t.Errorf("%+v", a)
	}
}

func returnHopsAt(r *Result, id string) int {
	n := 0
	for _, h := range r.Return {
		if h.Component != nil && h.Component.ID == id {
			n++
		}
	}
	return n
}

// With no healthy appliance (the appliance's group no longer admits the
// health check), the packet is dropped at the GWLB, with an explanation
// naming the GWLB and the failing appliance.
func TestProbeThroughGWLBNoHealthyAppliance(t *testing.T) {
	x := newGWLBFixture(t)
	if _, err := x.e.RevokeSecurityGroup(x.fwGroup, false, []engine.IPPermission{{Protocol: "tcp", FromPort: intp(22), ToPort: intp(22),
		CIDRs: []engine.RuleSource{{Value: "10.0.0.0/16"}}}}, nil); err != nil {
		t.Fatal(err)
	}
	r := probeSpec(t, compileEngine(x.e), "app", "198.51.100.10:443", "tcp")
	got := check(t, r, Timeout, CodeGWLBNoHealthyTargets)
	m := got[CodeGWLBNoHealthyTargets].Message
	if !strings.Contains(m, "inspection") || !strings.Contains(m, "fw") || !strings.Contains(m, "fail-open") {
		t.Errorf("explanation: %s", m)
	}
}

// An appliance whose group admits the health check but not GENEVE (UDP
// 6081) gets no packets: ECS_GWLB_GENEVE_BLOCKED.
func TestProbeThroughGWLBGeneveBlocked(t *testing.T) {
	x := newGWLBFixture(t)
	if _, err := x.e.RevokeSecurityGroup(x.fwGroup, false, []engine.IPPermission{{Protocol: "udp", FromPort: intp(6081), ToPort: intp(6081),
		CIDRs: []engine.RuleSource{{Value: "10.0.3.0/24"}}}}, nil); err != nil {
		t.Fatal(err)
	}
	r := probeSpec(t, compileEngine(x.e), "app", "198.51.100.10:443", "tcp")
	got := check(t, r, Timeout, CodeGWLBGeneveBlocked)
	if m := got[CodeGWLBGeneveBlocked].Message; !strings.Contains(m, "fw") || !strings.Contains(m, "UDP 6081") {
		t.Errorf("explanation: %s", m)
	}
}

// An endpoint that waits for the service owner's acceptance forwards
// nothing.
func TestProbeThroughGWLBPendingAcceptance(t *testing.T) {
	x := newGWLBFixture(t)
	st, _ := x.e.Snapshot()
	ep := *st.VpcEndpoints[x.ep.ID]
	ep.State = "pendingAcceptance"
	st.VpcEndpoints[x.ep.ID] = &ep
	n := Compile(st)
	r := Probe(n, mustQuery(t, n, "app", "198.51.100.10:443"))
	got := check(t, r, Timeout, CodeBadState)
	if !strings.Contains(got[CodeBadState].Message, "AcceptVpcEndpointConnections") {
		t.Errorf("explanation: %s", got[CodeBadState].Message)
	}
}

// Traffic from the internet that the internet gateway's edge route table
// sends to the endpoint passes the appliance and is delivered.
func TestProbeIngressThroughGWLB(t *testing.T) {
	x := newGWLBFixture(t)
	edge := orPanic(x.e.CreateRouteTable(x.vpc.ID, nil))
	if err := x.e.CreateRoute(engine.RouteInput{RouteTableID: edge.ID, DestinationCIDR: "10.0.1.0/24", VpcEndpointID: x.ep.ID}); err != nil {
		t.Fatal(err)
	}
	orPanic(x.e.AssociateRouteTableGateway(edge.ID, string(x.igw)))
	n := compileEngine(x.e)
	var pub string
	for _, e := range n.eniOrder {
		if e.instance != nil && e.instance.name == "app" && e.public.IsValid() {
			pub = e.public.String()
		}
	}
	if pub == "" {
		t.Fatal("app has no public IP")
	}
	r := probeSpec(t, n, "internet", pub+":22", "tcp")
	got := check(t, r, Connected)
	if _, ok := got[CodeGWLBInspected]; !ok {
		t.Fatalf("no %s: %s", CodeGWLBInspected, codeList(r))
	}
	if h := hopsThrough(r, "vpc-endpoint"); len(h) != 1 {
		t.Errorf("forward hops at the endpoint: %+v", h)
	}
	// The app subnet routes the reply through the endpoint too, and the
	// endpoint's subnet on to the internet gateway (symmetric inspection).
	if n := returnHopsAt(r, string(x.ep.ID)); n != 1 {
		t.Errorf("the reply passes endpoint %s %d times", x.ep.ID, n)
	}
}

func mustQuery(t *testing.T, n *Network, from, to string) Query {
	t.Helper()
	q, err := NewQuery(n, from, to, "tcp")
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// For lint and exposure, a subnet whose default route goes to a Gateway
// Load Balancer endpoint whose subnet routes on to the internet gateway is
// public (an ALB there is reachable from the internet, after inspection).
func TestPublicRoutePastGWLBEndpoint(t *testing.T) {
	x := newGWLBFixture(t)
	n := compileEngine(x.e)
	var app *eniNode
	for _, e := range n.eniOrder {
		if e.instance != nil && e.instance.name == "app" {
			app = e
		}
	}
	if app == nil || !n.publicRoute(app.subnet) {
		t.Fatal("the app subnet, behind the GWLB endpoint, is not public")
	}
	if rr := app.subnet.rt.lookup(DefaultInternetClient()); rr == nil || rr.route.Target != model.TargetVpcEndpoint {
		t.Fatalf("the app subnet's own route: %+v", rr)
	}
}

// Ingress routing: the internet gateway's route table sends the app
// subnet's range to the endpoint, but the app subnet's route table sends
// the reply straight to the internet gateway, past the appliance.
func TestProbeIngressRoutingBypassedReply(t *testing.T) {
	x := newGWLBFixture(t)
	edge := orPanic(x.e.CreateRouteTable(x.vpc.ID, nil))
	orPanic(x.e.AssociateRouteTableGateway(edge.ID, string(x.igw)))
	if err := x.e.CreateRoute(engine.RouteInput{RouteTableID: edge.ID, DestinationCIDR: "10.0.1.0/24", VpcEndpointID: x.ep.ID}); err != nil {
		t.Fatal(err)
	}
	r := probeSpec(t, compileEngine(x.e), "internet", "app:22", "tcp")
	check(t, r, Connected) // symmetric: in by the edge route, out by the app subnet's route, both through the endpoint
	if err := x.e.ReplaceRoute(engine.RouteInput{RouteTableID: x.appTable, DestinationCIDR: "0.0.0.0/0", GatewayID: string(x.igw)}); err != nil {
		t.Fatal(err)
	}
	r = probeSpec(t, compileEngine(x.e), "internet", "app:22", "tcp")
	got := check(t, r, Timeout, CodeIngressAsymmetric)
	a := got[CodeIngressAsymmetric]
	if a.Component == nil || a.Component.ID != string(x.ep.ID) || a.Route == nil || a.Route.RouteTableID != string(x.appTable) || a.Route.DestinationCIDR.String() != "0.0.0.0/0" {
		t.Errorf("the finding names the endpoint and the app subnet's route to replace: %+v %+v", a, a.Route)
	}
}

// Lint warns of ingress routing asymmetry without a probe: the app subnet
// sends its traffic to the internet through the endpoint, the internet
// gateway (no route table of its own) sends the range straight back; with
// the edge route the warning is gone.
func TestLintIngressAsymmetric(t *testing.T) {
	x := newGWLBFixture(t)
	warned := func() []Finding {
		var out []Finding
		for _, f := range Lint(compileEngine(x.e)) {
			if f.Code == CodeIngressAsymmetric {
				out = append(out, f)
			}
		}
		return out
	}
	got := warned()
	if len(got) != 1 || got[0].Severity != SeverityWarning || !strings.Contains(got[0].Message, "10.0.1.0/24") || !strings.Contains(got[0].Fix, string(x.ep.ID)) {
		t.Fatalf("%+v", got)
	}
	edge := orPanic(x.e.CreateRouteTable(x.vpc.ID, nil))
	orPanic(x.e.AssociateRouteTableGateway(edge.ID, string(x.igw)))
	if err := x.e.CreateRoute(engine.RouteInput{RouteTableID: edge.ID, DestinationCIDR: "10.0.1.0/24", VpcEndpointID: x.ep.ID}); err != nil {
		t.Fatal(err)
	}
	if got := warned(); len(got) != 0 {
		t.Errorf("symmetric, still warned: %+v", got)
	}
}
