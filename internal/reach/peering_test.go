package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// orPanic returns v, or panics on err (the test's setup cannot fail).
func orPanic[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// peeredPair builds two VPCs, each with a subnet and an instance (sshd on
// 22) whose group admits ssh from the other VPC's group, and a peering
// connection between them. routeA and routeB say which sides route the
// other's CIDR through the connection.
func peeredPair(t *testing.T, accept, routeA, routeB bool) (*engine.Engine, model.VpcPeeringConnectionID) {
	t.Helper()
	e := engine.New(engine.WithIDs(engine.SeededIDs(7)))
	side := func(cidr, sub, name string) (*model.VPC, *model.Subnet, *model.SecurityGroup) {
		v := orPanic(e.CreateVpc(engine.CreateVpcInput{CIDR: cidr}))
		s := orPanic(e.CreateSubnet(engine.CreateSubnetInput{VpcID: v.ID, CIDR: sub}))
		g := orPanic(e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: v.ID, Name: name + "-sg", Description: name}))
		orPanic(e.RunInstances(engine.RunInstancesInput{ImageID: "ami-12345678", InstanceType: "t3.micro", SubnetID: s.ID,
			SecurityGroupIDs: []model.SecurityGroupID{g.ID}, Tags: model.Tags{"Name": name}}))
		return v, s, g
	}
	va, _, ga := side("10.0.0.0/16", "10.0.1.0/24", "a")
	vb, _, gb := side("10.1.0.0/16", "10.1.1.0/24", "b")
	pcx := orPanic(e.CreateVpcPeeringConnection(engine.CreateVpcPeeringInput{VpcID: va.ID, PeerVpcID: vb.ID}))
	if accept {
		orPanic(e.AcceptVpcPeeringConnection(pcx.ID))
		// Cross-VPC references work over an active peering connection.
		orPanic(e.AuthorizeSecurityGroup(gb.ID, false, []engine.IPPermission{{Protocol: "tcp", FromPort: intp(22), ToPort: intp(22),
			Groups: []engine.RuleSource{{Value: string(ga.ID)}}}}))
	}
	if routeA {
		if err := e.CreateRoute(engine.RouteInput{RouteTableID: va.MainRouteTable, DestinationCIDR: "10.1.0.0/16", VpcPeeringID: pcx.ID}); err != nil {
			t.Fatal(err)
		}
	}
	if routeB {
		if err := e.CreateRoute(engine.RouteInput{RouteTableID: vb.MainRouteTable, DestinationCIDR: "10.0.0.0/16", VpcPeeringID: pcx.ID}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	return e, pcx.ID
}

func TestVpcPeering(t *testing.T) {
	t.Run("routes on both sides connect", func(t *testing.T) {
		e, pcx := peeredPair(t, true, true, true)
		r := probeSpec(t, compileEngine(e), "a", "b:22", "tcp")
		checkClean(t, r, Connected)
		seen := false
		for _, h := range r.Forward {
			seen = seen || (h.Component != nil && h.Component.ID == string(pcx))
		}
		if !seen {
			t.Errorf("the path does not cross %s: %+v", pcx, r.Forward)
		}
	})
	t.Run("no return route times out", func(t *testing.T) {
		e, _ := peeredPair(t, true, true, false)
		got := check(t, probeSpec(t, compileEngine(e), "a", "b:22", "tcp"), Timeout, CodeNoRouteToDestination)
		if got[CodeNoRouteToDestination].Path != "return" {
			t.Errorf("explanation = %+v", got[CodeNoRouteToDestination])
		}
	})
	t.Run("no forward route", func(t *testing.T) {
		e, _ := peeredPair(t, true, false, true)
		check(t, probeSpec(t, compileEngine(e), "a", "b:22", "tcp"), NoRoute, CodeNoRouteToDestination)
	})
	t.Run("a pending connection is a blackhole", func(t *testing.T) {
		e, _ := peeredPair(t, false, true, true)
		check(t, probeSpec(t, compileEngine(e), "a", "b:22", "tcp"), NoRoute, CodeBadStateRoute)
	})
	t.Run("the peer's group must admit the source group", func(t *testing.T) {
		e, _ := peeredPair(t, true, true, true)
		// b → a: a's group has no rule for b.
		check(t, probeSpec(t, compileEngine(e), "b", "a:22", "tcp"), Timeout, CodeSGRulesMismatch)
	})
}

// A security group rule that names a customer-managed prefix list admits
// the list's CIDRs, as they are now.
func TestManagedPrefixListRule(t *testing.T) {
	e := engine.New(engine.WithIDs(engine.SeededIDs(9)))
	v := orPanic(e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}))
	s1 := orPanic(e.CreateSubnet(engine.CreateSubnetInput{VpcID: v.ID, CIDR: "10.0.1.0/24"}))
	s2 := orPanic(e.CreateSubnet(engine.CreateSubnetInput{VpcID: v.ID, CIDR: "10.0.2.0/24"}))
	pl := orPanic(e.CreateManagedPrefixList(engine.CreateManagedPrefixListInput{Name: "office", AddressFamily: "IPv4", MaxEntries: 5,
		Entries: []engine.PrefixListEntry{{CIDR: "10.0.1.0/24", Description: "subnet 1"}}}))
	g := orPanic(e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: v.ID, Name: "ssh", Description: "ssh"}))
	orPanic(e.AuthorizeSecurityGroup(g.ID, false, []engine.IPPermission{{Protocol: "tcp", FromPort: intp(22), ToPort: intp(22),
		PrefixLists: []engine.RuleSource{{Value: string(pl.ID)}}}}))
	orPanic(e.RunInstances(engine.RunInstancesInput{ImageID: "ami-12345678", SubnetID: s1.ID, Tags: model.Tags{"Name": "client"}}))
	orPanic(e.RunInstances(engine.RunInstancesInput{ImageID: "ami-12345678", SubnetID: s2.ID, SecurityGroupIDs: []model.SecurityGroupID{g.ID}, Tags: model.Tags{"Name": "server"}}))
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	r := probeSpec(t, compileEngine(e), "client", "server:22", "tcp")
	checkClean(t, r, Connected)
	orPanic(e.ModifyManagedPrefixList(engine.ModifyManagedPrefixListInput{ID: pl.ID, CurrentVersion: 1,
		Add: []engine.PrefixListEntry{{CIDR: "192.168.0.0/16"}}, Remove: []string{"10.0.1.0/24"}}))
	check(t, probeSpec(t, compileEngine(e), "client", "server:22", "tcp"), Timeout, CodeSGRulesMismatch)
}

// Private subnets whose default route names a peering connection (to use
// the peer VPC's NAT gateway): the start path's packets to a public
// address are dropped at the connection, and the finding says that a
// peering connection does not extend to the peer's gateways, and that
// the fix is a NAT gateway of the tasks' own VPC.
func TestPeeringEdgeToEdgeStartPath(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/peering-shared-nat.yaml")))
	for _, f := range Lint(n) {
		if f.Code != CodeImagePullFailed {
			continue
		}
		if !strings.Contains(f.Message, "no edge-to-edge routing") || !strings.Contains(f.Fix, "NAT gateway in a public subnet of the tasks' own VPC") {
			t.Errorf("the finding does not explain edge-to-edge routing: %s / %s", f.Message, f.Fix)
		}
		return
	}
	t.Error("no ECS_IMAGE_PULL_FAILED finding")
}

// A route to a peering connection still pending-acceptance is a
// blackhole, and the explanation says why: the accepter has not
// accepted it.
func TestPeeringPendingAcceptance(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/peering-not-accepted.yaml")))
	r := probeSpec(t, n, "web/0", "ledger/0:8080", "tcp")
	if r.Verdict != NoRoute {
		t.Fatalf("verdict %s, want no-route: %s", r.Verdict, r.Summary)
	}
	for _, x := range r.Explanations {
		if x.Code == CodeBadStateRoute {
			if !strings.Contains(x.Message, "is pending-acceptance") {
				t.Errorf("the explanation does not say the connection is pending: %s", x.Message)
			}
			return
		}
	}
	t.Errorf("no %s in %+v", CodeBadStateRoute, r.Explanations)
}

// A query built on one compile of a state and probed on another (the
// data plane probes with its own) names the same peered task: its
// private address through the peering connection, not its public IP.
func TestPeeringQueryOtherCompile(t *testing.T) {
	e := build(t, repoFile("examples/failures/peering-not-accepted.yaml"))
	st, _ := e.Snapshot()
	q, err := NewQuery(Compile(st), "web/0", "ledger/0:8080", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if r := Probe(Compile(st), q); r.Verdict != NoRoute || !r.HasCode(CodeBadStateRoute) {
		t.Errorf("verdict %s, want no-route through the pending connection: %s", r.Verdict, r.Summary)
	}
}
