package engine_test

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// netFixture is a VPC (10.0.0.0/16) with subnets in us-east-1a, us-east-1b
// and a second one in us-east-1a, a security group, and (optionally) an
// attached internet gateway routed from the main route table.
type netFixture struct {
	e          *engine.Engine
	vpc        *model.VPC
	a, b, a2   *model.Subnet
	sg         *model.SecurityGroup
	igw        *model.InternetGateway
	otherVPC   *model.VPC
	otherSub   *model.Subnet
	otherGroup *model.SecurityGroup
}

// need returns v, or panics (failing the test) when err is set.
func need[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}

func ntNoErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func newNetFixture(t *testing.T, withIGW bool) *netFixture {
	t.Helper()
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)))
	f := &netFixture{e: e}
	f.vpc = need(e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}))
	f.a = need(e.CreateSubnet(engine.CreateSubnetInput{VpcID: f.vpc.ID, CIDR: "10.0.1.0/24", AvailabilityZone: "us-east-1a"}))
	f.b = need(e.CreateSubnet(engine.CreateSubnetInput{VpcID: f.vpc.ID, CIDR: "10.0.2.0/24", AvailabilityZone: "us-east-1b"}))
	f.a2 = need(e.CreateSubnet(engine.CreateSubnetInput{VpcID: f.vpc.ID, CIDR: "10.0.3.0/24", AvailabilityZone: "us-east-1a"}))
	f.sg = need(e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "lb", Description: "lb"}))
	if withIGW {
		f.igw = need(e.CreateInternetGateway(nil))
		ntNoErr(t, e.AttachInternetGateway(f.igw.ID, f.vpc.ID))
		ntNoErr(t, e.CreateRoute(engine.RouteInput{RouteTableID: f.vpc.MainRouteTable, DestinationCIDR: "0.0.0.0/0", GatewayID: string(f.igw.ID)}))
	}
	f.otherVPC = need(e.CreateVpc(engine.CreateVpcInput{CIDR: "10.1.0.0/16"}))
	f.otherSub = need(e.CreateSubnet(engine.CreateSubnetInput{VpcID: f.otherVPC.ID, CIDR: "10.1.1.0/24", AvailabilityZone: "us-east-1a"}))
	f.otherGroup = need(e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: f.otherVPC.ID, Name: "other", Description: "other"}))
	return f
}

// ntState returns the engine's state as JSON, for before/after comparisons.
func ntState(t *testing.T, e *engine.Engine) string {
	t.Helper()
	st, _ := e.Snapshot()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wantAPIErr checks err's AWS code and exact message.
func wantAPIErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s: %s", code, msg)
	}
	ae, ok := err.(*apierr.Error)
	if !ok {
		t.Fatalf("got %T %v, want *apierr.Error", err, err)
	}
	if ae.Code != code || ae.Message != msg {
		t.Errorf("got %s: %q\nwant %s: %q", ae.Code, ae.Message, code, msg)
	}
}

// failsCleanly runs call, checks its error, and checks that the state and
// its version are exactly as before.
func failsCleanly(t *testing.T, e *engine.Engine, code, msg string, call func() error) {
	t.Helper()
	before, v := ntState(t, e), e.Version()
	wantAPIErr(t, call(), code, msg)
	if after := ntState(t, e); after != before {
		t.Errorf("failed call changed the state")
	}
	if e.Version() != v {
		t.Errorf("failed call changed the version: %d -> %d", v, e.Version())
	}
}

func (f *netFixture) alb(t *testing.T, name string) *model.LoadBalancer {
	t.Helper()
	return need(f.e.CreateLoadBalancer(engine.CreateLoadBalancerInput{Name: name, Subnets: []model.SubnetID{f.a.ID, f.b.ID},
		SecurityGroups: []model.SecurityGroupID{f.sg.ID}}))
}

func (f *netFixture) tg(t *testing.T, name, protocol string, port uint16, ttype string) *model.TargetGroup {
	t.Helper()
	return need(f.e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: name, Protocol: protocol, Port: port, VpcID: f.vpc.ID, TargetType: ttype}))
}

func forward(tg string) []model.ListenerAction {
	return []model.ListenerAction{{Type: "forward", TargetGroupARN: tg}}
}

// lbENIs returns the ENIs a load balancer manages.
func lbENIs(e *engine.Engine, arn string) []*model.NetworkInterface {
	var out []*model.NetworkInterface
	e.Read(func(st *model.State) {
		for _, n := range st.NetworkInterfaces {
			if n.ManagedBy == arn {
				out = append(out, n)
			}
		}
	})
	slices.SortFunc(out, func(a, b *model.NetworkInterface) int { return strings.Compare(string(a.SubnetID), string(b.SubnetID)) })
	return out
}

// bySubnet indexes ENIs by subnet.
func bySubnet(enis []*model.NetworkInterface) map[model.SubnetID]*model.NetworkInterface {
	out := map[model.SubnetID]*model.NetworkInterface{}
	for _, n := range enis {
		out[n.SubnetID] = n
	}
	return out
}

func TestCreateLoadBalancerErrors(t *testing.T) {
	f := newNetFixture(t, true)
	noIGW := newNetFixture(t, false)
	f.alb(t, "taken")
	// Leave the /28 with fewer than 8 free addresses (11 usable, 4 taken).
	small := need(f.e.CreateSubnet(engine.CreateSubnetInput{VpcID: f.vpc.ID, CIDR: "10.0.9.0/28", AvailabilityZone: "us-east-1c"}))
	for range 4 {
		need(f.e.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{SubnetID: small.ID}))
	}
	two := []model.SubnetID{f.a.ID, f.b.ID}
	cases := []struct {
		name      string
		fx        *netFixture
		in        engine.CreateLoadBalancerInput
		code, msg string
	}{
		{"alb one subnet", f, engine.CreateLoadBalancerInput{Name: "web", Subnets: []model.SubnetID{f.a.ID}},
			"ValidationError", "At least two subnets in two different Availability Zones must be specified"},
		{"alb no subnet", f, engine.CreateLoadBalancerInput{Name: "web"},
			"ValidationError", "At least two subnets in two different Availability Zones must be specified"},
		{"two subnets one zone", f, engine.CreateLoadBalancerInput{Name: "web", Subnets: []model.SubnetID{f.a.ID, f.a2.ID}},
			"InvalidConfigurationRequest", "A load balancer cannot be attached to multiple subnets in the same Availability Zone"},
		{"internet-facing without igw", noIGW, engine.CreateLoadBalancerInput{Name: "web", Subnets: []model.SubnetID{noIGW.a.ID, noIGW.b.ID}},
			"InvalidSubnet", fmt.Sprintf("VPC %s has no internet gateway", noIGW.vpc.ID)},
		{"nlb without igw", noIGW, engine.CreateLoadBalancerInput{Name: "net", Type: "network", Subnets: []model.SubnetID{noIGW.a.ID}},
			"InvalidSubnet", fmt.Sprintf("VPC %s has no internet gateway", noIGW.vpc.ID)},
		{"name too long", f, engine.CreateLoadBalancerInput{Name: strings.Repeat("a", 33), Subnets: two},
			"ValidationError", "The load balancer name '" + strings.Repeat("a", 33) + "' cannot be longer than '32' characters"},
		{"name chars", f, engine.CreateLoadBalancerInput{Name: "my_lb", Subnets: two},
			"ValidationError", "The load balancer name 'my_lb' can only contain characters that are alphanumeric characters and hyphens(-)"},
		{"name leading hyphen", f, engine.CreateLoadBalancerInput{Name: "-lb", Subnets: two},
			"ValidationError", "The load balancer name '-lb' cannot begin with a hyphen(-)"},
		{"name trailing hyphen", f, engine.CreateLoadBalancerInput{Name: "lb-", Subnets: two},
			"ValidationError", "The load balancer name 'lb-' cannot end with a hyphen(-)"},
		{"name internal-", f, engine.CreateLoadBalancerInput{Name: "internal-lb", Subnets: two},
			"ValidationError", "The load balancer name 'internal-lb' cannot begin with 'internal-'"},
		{"bad type", f, engine.CreateLoadBalancerInput{Name: "web", Type: "classic", Subnets: two},
			"ValidationError", "1 validation error detected: Value 'classic' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [application, network, gateway]"},
		{"unknown subnet", f, engine.CreateLoadBalancerInput{Name: "web", Subnets: []model.SubnetID{f.a.ID, "subnet-0000000000000dead"}},
			"SubnetNotFound", "The subnet ID 'subnet-0000000000000dead' does not exist"},
		{"group of another vpc", f, engine.CreateLoadBalancerInput{Name: "web", Subnets: two, SecurityGroups: []model.SecurityGroupID{f.otherGroup.ID}},
			"InvalidConfigurationRequest", fmt.Sprintf("Security group '%s' does not belong to VPC '%s'", f.otherGroup.ID, f.vpc.ID)},
		{"subnet short of addresses", f, engine.CreateLoadBalancerInput{Name: "web", Subnets: []model.SubnetID{f.a.ID, small.ID}},
			"InvalidSubnet", fmt.Sprintf("Not enough IP space available in %s. ELB requires at least 8 free IP addresses in each subnet.", small.ID)},
		{"same name other settings", f, engine.CreateLoadBalancerInput{Name: "taken", Scheme: "internal", Subnets: two},
			"DuplicateLoadBalancerName", "A load balancer with the same name 'taken' exists, but with different settings"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			failsCleanly(t, c.fx.e, c.code, c.msg, func() error {
				_, err := c.fx.e.CreateLoadBalancer(c.in)
				return err
			})
		})
	}
}

func TestCreateALBNodes(t *testing.T) {
	f := newNetFixture(t, true)
	lb := f.alb(t, "web-alb")
	if !regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/[0-9a-f]{16}$`).MatchString(lb.ARN) {
		t.Errorf("ARN = %s", lb.ARN)
	}
	if !regexp.MustCompile(`^web-alb-[0-9]{1,10}\.us-east-1\.elb\.amazonaws\.com$`).MatchString(lb.DNSName) {
		t.Errorf("DNSName = %s", lb.DNSName)
	}
	if lb.CanonicalHostedZoneID != "Z35SXDOTRQ7X7K" || lb.Scheme != "internet-facing" || lb.Type != "application" || lb.State != "active" {
		t.Errorf("lb = zone %s scheme %s type %s state %s", lb.CanonicalHostedZoneID, lb.Scheme, lb.Type, lb.State)
	}
	id := lb.ARN[strings.LastIndexByte(lb.ARN, '/')+1:]
	enis := lbENIs(f.e, lb.ARN)
	if len(enis) != 2 || len(lb.Nodes) != 2 {
		t.Fatalf("%d node ENIs, %d nodes; want 2", len(enis), len(lb.Nodes))
	}
	by := bySubnet(enis)
	for i, want := range []*model.Subnet{f.a, f.b} {
		n := by[want.ID]
		if n == nil {
			t.Fatalf("no node ENI in %s", want.ID)
		}
		if n.AvailabilityZone != want.AvailabilityZone {
			t.Errorf("node %d in %s/%s, want %s/%s", i, n.SubnetID, n.AvailabilityZone, want.ID, want.AvailabilityZone)
		}
		if !slices.Equal(n.SecurityGroups, []model.SecurityGroupID{f.sg.ID}) {
			t.Errorf("node %d groups = %v", i, n.SecurityGroups)
		}
		if n.Description != "ELB app/web-alb/"+id || n.Type != model.InterfaceNormal || !n.RequesterManaged ||
			n.RequesterID != "amazon-elb" || n.OwnerKind != model.OwnedByLoadBalancer {
			t.Errorf("node %d = %q %s requester %v/%s owner %d", i, n.Description, n.Type, n.RequesterManaged, n.RequesterID, n.OwnerKind)
		}
		pub := n.PrivateIPs[0].PublicIP
		if pub == nil || pub.IPOwnerID != "amazon" || pub.AllocationID != "" {
			t.Errorf("node %d public IP = %+v, want an amazon-owned address", i, pub)
		}
	}
	// Repeating the request returns the same load balancer.
	again := f.alb(t, "web-alb")
	if again.ARN != lb.ARN {
		t.Errorf("repeat create = %s, want %s", again.ARN, lb.ARN)
	}
	if n := len(lbENIs(f.e, lb.ARN)); n != 2 {
		t.Errorf("repeat create left %d node ENIs", n)
	}
}

func TestCreateInternalALBDefaultGroup(t *testing.T) {
	f := newNetFixture(t, false)
	lb := need(f.e.CreateLoadBalancer(engine.CreateLoadBalancerInput{Name: "api", Scheme: "internal", Subnets: []model.SubnetID{f.a.ID, f.b.ID}}))
	if !strings.HasPrefix(lb.DNSName, "internal-api-") {
		t.Errorf("DNSName = %s", lb.DNSName)
	}
	for _, n := range lbENIs(f.e, lb.ARN) {
		if _, ok := n.PublicIP(); ok {
			t.Errorf("internal node %s has a public IP", n.ID)
		}
		if !slices.Equal(n.SecurityGroups, []model.SecurityGroupID{f.vpc.DefaultSecurityGroup}) {
			t.Errorf("node groups = %v, want the VPC default group", n.SecurityGroups)
		}
	}
}

func TestNLBNodesAndDelete(t *testing.T) {
	f := newNetFixture(t, true)
	eip := need(f.e.AllocateAddress(netip.MustParseAddr("203.0.113.10"), nil))
	lb := need(f.e.CreateLoadBalancer(engine.CreateLoadBalancerInput{Name: "net", Type: "network",
		SubnetMappings: []engine.SubnetMapping{{SubnetID: f.a.ID, AllocationID: eip.AllocationID}, {SubnetID: f.b.ID}}}))
	id := lb.ARN[strings.LastIndexByte(lb.ARN, '/')+1:]
	if lb.DNSName != "net-"+id+".elb.us-east-1.amazonaws.com" || lb.CanonicalHostedZoneID != "Z26RNL4JYFTOTI" {
		t.Errorf("DNSName %s zone %s", lb.DNSName, lb.CanonicalHostedZoneID)
	}
	enis := lbENIs(f.e, lb.ARN)
	if len(enis) != 2 {
		t.Fatalf("%d node ENIs", len(enis))
	}
	for _, n := range enis {
		if n.Type != model.InterfaceNLB || n.Description != "ELB net/net/"+id || len(n.SecurityGroups) != 0 {
			t.Errorf("node = %s %q groups %v", n.Type, n.Description, n.SecurityGroups)
		}
	}
	ea, eb := bySubnet(enis)[f.a.ID], bySubnet(enis)[f.b.ID]
	if ip, _ := ea.PublicIP(); ip != netip.MustParseAddr("203.0.113.10") || ea.PrivateIPs[0].PublicIP.AllocationID != eip.AllocationID {
		t.Errorf("node in %s has public %v, want the Elastic IP", ea.SubnetID, ea.PrivateIPs[0].PublicIP)
	}
	if p := eb.PrivateIPs[0].PublicIP; p == nil || p.IPOwnerID != "amazon" {
		t.Errorf("node in %s has public %v, want an amazon-owned address", eb.SubnetID, p)
	}
	tg := f.tg(t, "tcp", "TCP", 80, "instance")
	need(f.e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "TCP", Port: 80, DefaultActions: forward(tg.ARN)}))

	ntNoErr(t, f.e.DeleteLoadBalancer(lb.ARN))
	f.e.Read(func(st *model.State) {
		for _, n := range st.NetworkInterfaces {
			if n.ManagedBy == lb.ARN {
				t.Errorf("ENI %s left behind", n.ID)
			}
			if pub, ok := n.PublicIP(); ok {
				t.Errorf("ENI %s still holds public IP %s", n.ID, pub)
			}
		}
		if len(st.Listeners) != 0 {
			t.Errorf("%d listeners left", len(st.Listeners))
		}
		if a := st.Addresses[eip.AllocationID]; a == nil || a.AssociationID != "" || a.NetworkInterfaceID != "" {
			t.Errorf("Elastic IP after delete = %+v, want allocated and unassociated", a)
		}
		if st.TargetGroups[tg.ARN] == nil {
			t.Error("target group deleted with its load balancer")
		}
	})
	// The address is free again.
	need(f.e.AllocateAddress(netip.Addr{}, nil))
	ntNoErr(t, f.e.ReleaseAddress(eip.AllocationID))
}

func TestDeleteALBLeavesNothing(t *testing.T) {
	f := newNetFixture(t, true)
	before := ntState(t, f.e)
	lb := f.alb(t, "web")
	tg := f.tg(t, "web", "HTTP", 80, "ip")
	l := need(f.e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 80, DefaultActions: forward(tg.ARN)}))
	need(f.e.CreateRule(engine.CreateRuleInput{ListenerARN: l.ARN, Priority: 10,
		Conditions: []model.RuleCondition{{Field: "path-pattern", Values: []string{"/api/*"}}}, Actions: forward(tg.ARN)}))
	ntNoErr(t, f.e.DeleteLoadBalancer(lb.ARN))
	ntNoErr(t, f.e.DeleteTargetGroup(tg.ARN))
	if after := ntState(t, f.e); after != before {
		t.Errorf("state after create+delete differs from before")
	}
	ntNoErr(t, f.e.DeleteLoadBalancer(lb.ARN)) // deleting again succeeds, as on AWS
	wantAPIErr(t, f.e.DeleteLoadBalancer("web"), "ValidationError", "'web' is not a valid load balancer ARN")
}

func TestSetSecurityGroupsAndSubnets(t *testing.T) {
	f := newNetFixture(t, true)
	lb := f.alb(t, "web")
	sg2 := need(f.e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "lb2", Description: "lb2"}))
	need(f.e.SetSecurityGroups(lb.ARN, []model.SecurityGroupID{sg2.ID}, ""))
	for _, n := range lbENIs(f.e, lb.ARN) {
		if !slices.Equal(n.SecurityGroups, []model.SecurityGroupID{sg2.ID}) {
			t.Errorf("node groups = %v after SetSecurityGroups", n.SecurityGroups)
		}
	}
	c := need(f.e.CreateSubnet(engine.CreateSubnetInput{VpcID: f.vpc.ID, CIDR: "10.0.4.0/24", AvailabilityZone: "us-east-1c"}))
	got := need(f.e.SetSubnets(lb.ARN, []model.SubnetID{f.b.ID, c.ID}, nil))
	enis := lbENIs(f.e, lb.ARN)
	var subnets []model.SubnetID
	for _, n := range enis {
		subnets = append(subnets, n.SubnetID)
	}
	want := []model.SubnetID{f.b.ID, c.ID}
	slices.Sort(want)
	if len(got.Nodes) != 2 || !slices.Equal(subnets, want) {
		t.Errorf("after SetSubnets nodes %v, node ENIs in %v", got.Nodes, subnets)
	}
	failsCleanly(t, f.e, "ValidationError", "At least two subnets in two different Availability Zones must be specified", func() error {
		_, err := f.e.SetSubnets(lb.ARN, []model.SubnetID{f.a.ID}, nil)
		return err
	})
	nlb := need(f.e.CreateLoadBalancer(engine.CreateLoadBalancerInput{Name: "net", Type: "network", Subnets: []model.SubnetID{f.a.ID}}))
	failsCleanly(t, f.e, "InvalidConfigurationRequest", "SetSecurityGroups is not supported for load balancers of type 'network'", func() error {
		_, err := f.e.SetSecurityGroups(nlb.ARN, []model.SecurityGroupID{f.sg.ID}, "")
		return err
	})
}

func TestCreateTargetGroupErrors(t *testing.T) {
	f := newNetFixture(t, true)
	f.tg(t, "taken", "HTTP", 80, "")
	long := strings.Repeat("t", 33)
	cases := []struct {
		name      string
		in        engine.CreateTargetGroupInput
		code, msg string
	}{
		{"name too long", engine.CreateTargetGroupInput{Name: long, Protocol: "HTTP", Port: 80, VpcID: f.vpc.ID},
			"ValidationError", "Target group name '" + long + "' cannot be longer than '32' characters"},
		{"name chars", engine.CreateTargetGroupInput{Name: "web.tg", Protocol: "HTTP", Port: 80, VpcID: f.vpc.ID},
			"ValidationError", "Target group name 'web.tg' can only contain characters that are alphanumeric characters or hyphens(-)"},
		{"name hyphen", engine.CreateTargetGroupInput{Name: "web-", Protocol: "HTTP", Port: 80, VpcID: f.vpc.ID},
			"ValidationError", "Target group name 'web-' cannot begin or end with '-'"},
		{"no protocol", engine.CreateTargetGroupInput{Name: "web", Port: 80, VpcID: f.vpc.ID},
			"ValidationError", "A protocol must be specified"},
		{"no port", engine.CreateTargetGroupInput{Name: "web", Protocol: "HTTP", VpcID: f.vpc.ID},
			"ValidationError", "A port must be specified"},
		{"no vpc", engine.CreateTargetGroupInput{Name: "web", Protocol: "HTTP", Port: 80},
			"ValidationError", "A VPC ID must be specified"},
		{"bad target type", engine.CreateTargetGroupInput{Name: "web", Protocol: "HTTP", Port: 80, VpcID: f.vpc.ID, TargetType: "pod"},
			"ValidationError", "1 validation error detected: Value 'pod' at 'targetType' failed to satisfy constraint: Member must satisfy enum value set: [instance, ip, lambda, alb]"},
		{"unknown vpc", engine.CreateTargetGroupInput{Name: "web", Protocol: "HTTP", Port: 80, VpcID: "vpc-0000000000000dead"},
			"ValidationError", "The VPC ID 'vpc-0000000000000dead' is not found"},
		{"same name other settings", engine.CreateTargetGroupInput{Name: "taken", Protocol: "HTTP", Port: 8080, VpcID: f.vpc.ID},
			"DuplicateTargetGroupName", "A target group with the same name 'taken' exists, but with different settings"},
		{"interval too short", engine.CreateTargetGroupInput{Name: "web", Protocol: "HTTP", Port: 80, VpcID: f.vpc.ID, HealthCheckIntervalSeconds: 4},
			"ValidationError", "1 validation error detected: Value '4' at 'healthCheckIntervalSeconds' failed to satisfy constraint: Member must have value greater than or equal to 5"},
		// An interval at or below the timeout, the timeout given or the
		// protocol's default (an ALB group's: 5 seconds). Both given, the
		// timeout is named; the interval alone, the interval.
		{"timeout not below interval", engine.CreateTargetGroupInput{Name: "web", Protocol: "HTTP", Port: 80, VpcID: f.vpc.ID, HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 10},
			"ValidationError", "Health check timeout '10' must be smaller than the interval '10'"},
		{"timeout above interval", engine.CreateTargetGroupInput{Name: "web", Protocol: "HTTP", Port: 80, VpcID: f.vpc.ID, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 6},
			"ValidationError", "Health check timeout '6' must be smaller than the interval '5'"},
		{"lambda interval below default timeout", engine.CreateTargetGroupInput{Name: "fn", TargetType: "lambda", HealthCheckIntervalSeconds: 20},
			"ValidationError", "Health check interval must be greater than the timeout."},
		{"interval below default timeout", engine.CreateTargetGroupInput{Name: "web", Protocol: "HTTPS", Port: 443, VpcID: f.vpc.ID, HealthCheckIntervalSeconds: 5},
			"ValidationError", "Health check interval must be greater than the timeout."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			failsCleanly(t, f.e, c.code, c.msg, func() error {
				_, err := f.e.CreateTargetGroup(c.in)
				return err
			})
		})
	}
}

func TestTargetGroupHealthCheckDefaults(t *testing.T) {
	f := newNetFixture(t, true)
	cases := []struct {
		protocol, version, ttype string
		want                     model.HealthCheck
	}{
		{"HTTP", "", "instance", model.HealthCheck{Enabled: true, Protocol: "HTTP", Port: "traffic-port", Path: "/", IntervalSeconds: 30, TimeoutSeconds: 5, HealthyThreshold: 5, UnhealthyThreshold: 2, Matcher: "200"}},
		{"HTTPS", "", "ip", model.HealthCheck{Enabled: true, Protocol: "HTTPS", Port: "traffic-port", Path: "/", IntervalSeconds: 30, TimeoutSeconds: 5, HealthyThreshold: 5, UnhealthyThreshold: 2, Matcher: "200"}},
		{"HTTP", "GRPC", "ip", model.HealthCheck{Enabled: true, Protocol: "HTTP", Port: "traffic-port", Path: "/AWS.ALB/healthcheck", IntervalSeconds: 30, TimeoutSeconds: 5, HealthyThreshold: 5, UnhealthyThreshold: 2, Matcher: "12"}},
		{"TCP", "", "instance", model.HealthCheck{Enabled: true, Protocol: "TCP", Port: "traffic-port", IntervalSeconds: 30, TimeoutSeconds: 10, HealthyThreshold: 5, UnhealthyThreshold: 2}},
		{"UDP", "", "ip", model.HealthCheck{Enabled: true, Protocol: "TCP", Port: "traffic-port", IntervalSeconds: 30, TimeoutSeconds: 10, HealthyThreshold: 5, UnhealthyThreshold: 2}},
		{"", "", "lambda", model.HealthCheck{Enabled: false, Protocol: "HTTP", Path: "/", IntervalSeconds: 35, TimeoutSeconds: 30, HealthyThreshold: 5, UnhealthyThreshold: 5, Matcher: "200"}},
	}
	for i, c := range cases {
		in := engine.CreateTargetGroupInput{Name: fmt.Sprintf("tg%d", i), Protocol: c.protocol, ProtocolVersion: c.version, TargetType: c.ttype}
		if c.ttype != "lambda" {
			in.Port, in.VpcID = 80, f.vpc.ID
		}
		tg := need(f.e.CreateTargetGroup(in))
		if tg.HealthCheck != c.want {
			t.Errorf("%s/%s/%s health check = %+v\nwant %+v", c.protocol, c.version, c.ttype, tg.HealthCheck, c.want)
		}
		if !regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg[0-9]/[0-9a-f]{16}$`).MatchString(tg.ARN) {
			t.Errorf("ARN = %s", tg.ARN)
		}
	}
	// An HTTP check on a TCP target group matches 200-399.
	tg := need(f.e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: "nlb-http", Protocol: "TCP", Port: 80, VpcID: f.vpc.ID, HealthCheckProtocol: "HTTP"}))
	if tg.HealthCheck.Matcher != "200-399" || tg.HealthCheck.Path != "/" || tg.HealthCheck.TimeoutSeconds != 6 {
		t.Errorf("HTTP check on TCP group = %+v", tg.HealthCheck)
	}
	// An HTTPS check on a TCP group times out at 10 s.
	if hc := need(f.e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: "nlb-https", Protocol: "TCP", Port: 443, VpcID: f.vpc.ID, HealthCheckProtocol: "HTTPS"})).HealthCheck; hc.TimeoutSeconds != 10 {
		t.Errorf("HTTPS check on TCP group = %+v", hc)
	}
	// An ALB group's interval of 6 is above its default timeout of 5
	// (public templates ship HealthCheckIntervalSeconds: 6 alone).
	if hc := need(f.e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: "alb-six", Protocol: "HTTP", Port: 80, VpcID: f.vpc.ID, HealthCheckIntervalSeconds: 6})).HealthCheck; hc.IntervalSeconds != 6 || hc.TimeoutSeconds != 5 {
		t.Errorf("interval 6 on an HTTP group = %+v", hc)
	}
	interval, path := 10, "/health"
	got := need(f.e.ModifyTargetGroup(engine.ModifyTargetGroupInput{TargetGroupARN: tg.ARN, Interval: &interval, HealthCheckPath: &path}))
	if got.HealthCheck.IntervalSeconds != 10 || got.HealthCheck.Path != "/health" {
		t.Errorf("after ModifyTargetGroup = %+v", got.HealthCheck)
	}
	bad := 301
	failsCleanly(t, f.e, "ValidationError", "1 validation error detected: Value '301' at 'healthCheckIntervalSeconds' failed to satisfy constraint: Member must have value less than or equal to 300", func() error {
		_, err := f.e.ModifyTargetGroup(engine.ModifyTargetGroupInput{TargetGroupARN: tg.ARN, Interval: &bad})
		return err
	})
}

func TestListenerErrors(t *testing.T) {
	f := newNetFixture(t, true)
	lb := f.alb(t, "web")
	other := f.alb(t, "other")
	nlb := need(f.e.CreateLoadBalancer(engine.CreateLoadBalancerInput{Name: "net", Type: "network", Subnets: []model.SubnetID{f.a.ID}}))
	web := f.tg(t, "web", "HTTP", 80, "ip")
	tcp := f.tg(t, "tcp", "TCP", 80, "ip")
	foreign := need(f.e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: "foreign", Protocol: "HTTP", Port: 80, VpcID: f.otherVPC.ID}))
	used := f.tg(t, "used", "HTTP", 80, "ip")
	need(f.e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: other.ARN, Protocol: "HTTP", Port: 80, DefaultActions: forward(used.ARN)}))
	first := need(f.e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 80, DefaultActions: forward(web.ARN)}))
	if !regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/[0-9a-f]{16}/[0-9a-f]{16}$`).MatchString(first.ARN) {
		t.Errorf("listener ARN = %s", first.ARN)
	}
	// An identical request returns the existing listener.
	if again := need(f.e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 80, DefaultActions: forward(web.ARN)})); again.ARN != first.ARN {
		t.Errorf("identical CreateListener = %s, want %s", again.ARN, first.ARN)
	}
	cases := []struct {
		name      string
		in        engine.CreateListenerInput
		code, msg string
	}{
		{"duplicate port", engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 80, DefaultActions: []model.ListenerAction{{Type: "fixed-response", FixedResponse: &model.FixedResponse{StatusCode: "404"}}}},
			"DuplicateListener", "A listener already exists on this port for this load balancer '" + lb.ARN + "'"},
		{"https without certificate", engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTPS", Port: 443, DefaultActions: forward(web.ARN)},
			"ValidationError", "A certificate must be specified for HTTPS listeners"},
		{"http on nlb", engine.CreateListenerInput{LoadBalancerARN: nlb.ARN, Protocol: "HTTP", Port: 80, DefaultActions: forward(tcp.ARN)},
			"ValidationError", "Listener protocol 'HTTP' must be one of 'UDP, TCP, TCP_UDP, TLS'"},
		{"target group of another vpc", engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 81, DefaultActions: forward(foreign.ARN)},
			"InvalidConfigurationRequest", "Target group '" + foreign.ARN + "' is in a different VPC than load balancer '" + lb.ARN + "'"},
		{"incompatible protocols", engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 81, DefaultActions: forward(tcp.ARN)},
			"IncompatibleProtocols", "The listener and the following target groups have incompatible protocols"},
		{"target group of another load balancer", engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 81, DefaultActions: forward(used.ARN)},
			"TargetGroupAssociationLimit", "The following target groups cannot be associated with more than one load balancer: " + used.ARN},
		{"unknown target group", engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 81, DefaultActions: forward(strings.Replace(web.ARN, "/web/", "/gone/", 1))},
			"TargetGroupNotFound", "Target groups '" + strings.Replace(web.ARN, "/web/", "/gone/", 1) + "' not found"},
		{"unknown load balancer", engine.CreateListenerInput{LoadBalancerARN: strings.Replace(lb.ARN, "/web/", "/gone/", 1), Protocol: "HTTP", Port: 81, DefaultActions: forward(web.ARN)},
			"LoadBalancerNotFound", "One or more load balancers not found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			failsCleanly(t, f.e, c.code, c.msg, func() error {
				_, err := f.e.CreateListener(c.in)
				return err
			})
		})
	}
	// The NLB forwards TCP to a TCP target group.
	need(f.e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: nlb.ARN, Protocol: "TCP", Port: 80, DefaultActions: forward(tcp.ARN)}))

	second := need(f.e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 8080, DefaultActions: forward(web.ARN)}))
	failsCleanly(t, f.e, "ValidationError", "Listener port '80' is already in use", func() error {
		_, err := f.e.ModifyListener(engine.ModifyListenerInput{ListenerARN: second.ARN, Port: 80})
		return err
	})
	rule := need(f.e.CreateRule(engine.CreateRuleInput{ListenerARN: first.ARN, Priority: 5,
		Conditions: []model.RuleCondition{{Field: "host-header", Values: []string{"api.example.com"}}}, Actions: forward(web.ARN)}))
	failsCleanly(t, f.e, "PriorityInUse", "Priority '5' is currently in use", func() error {
		_, err := f.e.CreateRule(engine.CreateRuleInput{ListenerARN: first.ARN, Priority: 5,
			Conditions: []model.RuleCondition{{Field: "path-pattern", Values: []string{"/x"}}}, Actions: forward(web.ARN)})
		return err
	})
	failsCleanly(t, f.e, "ResourceInUse", "Target group '"+web.ARN+"' is currently in use by a listener or a rule", func() error {
		return f.e.DeleteTargetGroup(web.ARN)
	})
	ntNoErr(t, f.e.DeleteRule(rule.ARN))
	failsCleanly(t, f.e, "RuleNotFound", "One or more rules not found", func() error { return f.e.DeleteRule(rule.ARN) })
	ntNoErr(t, f.e.DeleteListener(first.ARN))
	ntNoErr(t, f.e.DeleteListener(second.ARN))
	failsCleanly(t, f.e, "ListenerNotFound", "One or more listeners not found", func() error { return f.e.DeleteListener(second.ARN) })
	ntNoErr(t, f.e.DeleteTargetGroup(web.ARN))
}

func TestWeightedForward(t *testing.T) {
	f := newNetFixture(t, true)
	lb := f.alb(t, "web")
	blue, green := f.tg(t, "blue", "HTTP", 80, "ip"), f.tg(t, "green", "HTTP", 80, "ip")
	l := need(f.e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 80,
		DefaultActions: []model.ListenerAction{{Type: "forward", TargetGroups: []model.WeightedTargetGroup{{ARN: blue.ARN, Weight: 90}, {ARN: green.ARN, Weight: 10}}}}}))
	if got := l.DefaultActions[0].ForwardTargetGroups(); !slices.Equal(got, []string{blue.ARN, green.ARN}) {
		t.Errorf("forward target groups = %v", got)
	}
	failsCleanly(t, f.e, "ResourceInUse", "Target group '"+green.ARN+"' is currently in use by a listener or a rule", func() error {
		return f.e.DeleteTargetGroup(green.ARN)
	})
}

// running launches an instance in subnet s and lets it reach "running".
func running(t *testing.T, e *engine.Engine, s *model.Subnet) *model.Instance {
	t.Helper()
	res := need(e.RunInstances(engine.RunInstancesInput{ImageID: "ami-0123456789abcdef0", InstanceType: "t3.micro", SubnetID: s.ID}))
	ntNoErr(t, e.Converge())
	return res.Instances[0]
}

func targets(e *engine.Engine, arn string) []model.Target {
	var out []model.Target
	e.Read(func(st *model.State) { out = st.TargetGroups[arn].Targets.Slice() })
	return out
}

func TestRegisterInstanceTargets(t *testing.T) {
	f := newNetFixture(t, true)
	tg := f.tg(t, "web", "HTTP", 80, "instance")
	inst := running(t, f.e, f.a)
	ntNoErr(t, f.e.RegisterTargets(tg.ARN, []engine.TargetDescription{{ID: string(inst.ID)}, {ID: string(inst.ID), Port: 8080}}))
	ntNoErr(t, f.e.RegisterTargets(tg.ARN, []engine.TargetDescription{{ID: string(inst.ID), Port: 80}})) // again: nothing new
	got := targets(f.e, tg.ARN)
	if len(got) != 2 || got[0].Port != 80 || got[1].Port != 8080 || got[0].ID != string(inst.ID) || got[0].AvailabilityZone != "us-east-1a" {
		t.Fatalf("targets = %+v, want the instance on 80 and 8080", got)
	}
	ntNoErr(t, f.e.DeregisterTargets(tg.ARN, []engine.TargetDescription{{ID: string(inst.ID), Port: 8080}}))
	ntNoErr(t, f.e.DeregisterTargets(tg.ARN, []engine.TargetDescription{{ID: "i-0000000000000dead"}})) // unknown target: success
	if got := targets(f.e, tg.ARN); len(got) != 1 || got[0].Port != 80 {
		t.Errorf("after deregistering port 8080: %+v", got)
	}

	foreign := running(t, f.e, f.otherSub)
	pending := need(f.e.RunInstances(engine.RunInstancesInput{ImageID: "ami-0123456789abcdef0", InstanceType: "t3.micro", SubnetID: f.b.ID})).Instances[0]
	cases := []struct {
		name      string
		arn       string
		targets   []engine.TargetDescription
		code, msg string
	}{
		{"not running", tg.ARN, []engine.TargetDescription{{ID: string(pending.ID)}},
			"InvalidTarget", "The following targets are not in a running state and cannot be registered: '" + string(pending.ID) + "'"},
		{"other vpc", tg.ARN, []engine.TargetDescription{{ID: string(foreign.ID)}},
			"InvalidTarget", "The following targets are not in the target group VPC '" + string(f.vpc.ID) + "': '" + string(foreign.ID) + "'"},
		{"unknown instances", tg.ARN, []engine.TargetDescription{{ID: "i-0000000000000dead"}, {ID: "i-0000000000000beef"}},
			"InvalidTarget", "The following targets are not valid instances: 'i-0000000000000dead', 'i-0000000000000beef'"},
		{"ip into instance group", tg.ARN, []engine.TargetDescription{{ID: "10.0.1.5"}},
			"ValidationError", "Instance ID '10.0.1.5' is not valid"},
		{"unknown target group", strings.Replace(tg.ARN, "/web/", "/gone/", 1), []engine.TargetDescription{{ID: string(inst.ID)}},
			"TargetGroupNotFound", "One or more target groups not found"},
		{"malformed arn", "web", []engine.TargetDescription{{ID: string(inst.ID)}},
			"ValidationError", "'web' is not a valid target group ARN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			failsCleanly(t, f.e, c.code, c.msg, func() error { return f.e.RegisterTargets(c.arn, c.targets) })
		})
	}
}

func TestRegisterIPTargets(t *testing.T) {
	f := newNetFixture(t, true)
	tg := f.tg(t, "web", "HTTP", 3000, "ip")
	ntNoErr(t, f.e.RegisterTargets(tg.ARN, []engine.TargetDescription{
		{ID: "10.0.2.20"},                                  // in subnet b: its zone
		{ID: "10.0.2.20", Port: 3001},                      // same address, another port: another target
		{ID: "172.16.5.5", AvailabilityZone: "all"},        // RFC 1918 outside the VPC
		{ID: "100.64.1.1", AvailabilityZone: "us-east-1a"}, // RFC 6598
	}))
	got := targets(f.e, tg.ARN)
	want := []struct {
		id   string
		port uint16
		az   string
	}{{"10.0.2.20", 3000, "us-east-1b"}, {"10.0.2.20", 3001, "us-east-1b"}, {"172.16.5.5", 3000, "all"}, {"100.64.1.1", 3000, "us-east-1a"}}
	if len(got) != len(want) {
		t.Fatalf("targets = %+v", got)
	}
	for i, w := range want {
		if got[i].ID != w.id || got[i].Port != w.port || got[i].AvailabilityZone != w.az {
			t.Errorf("target %d = %+v, want %+v", i, got[i], w)
		}
	}
	cases := []struct {
		name      string
		target    engine.TargetDescription
		code, msg string
	}{
		{"in vpc overridden to all", engine.TargetDescription{ID: "10.0.1.9", AvailabilityZone: "all"},
			"ValidationError", "The IP address '10.0.1.9' is within the VPC, and cannot have its Availability Zone overridden to 'all' from 'us-east-1a'"},
		{"outside vpc without zone", engine.TargetDescription{ID: "192.168.1.1"},
			"ValidationError", "The Availability Zone is required for IP address '192.168.1.1' because it is not in the VPC"},
		{"in vpc cidr but no subnet", engine.TargetDescription{ID: "10.0.200.1"},
			"ValidationError", "The Availability Zone is required for IP address '10.0.200.1' because it is not in the VPC"},
		{"public address", engine.TargetDescription{ID: "8.8.8.8", AvailabilityZone: "all"},
			"InvalidTarget", "The IP address '8.8.8.8' is not a private IP address. You can't register publicly routable IP addresses"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			failsCleanly(t, f.e, c.code, c.msg, func() error { return f.e.RegisterTargets(tg.ARN, []engine.TargetDescription{c.target}) })
		})
	}
}
