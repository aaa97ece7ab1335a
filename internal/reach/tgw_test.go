package reach

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// tgwPair builds two VPCs (a: 10.0.0.0/16, b: 10.1.0.0/16), each with an
// instance "a"/"b" (sshd on 22) in a subnet of zone us-east-1a whose group
// admits ssh from 10.0.0.0/8, a transit gateway with its default route
// table, and both VPCs attached through their subnet. The VPC route
// tables send the other VPC's CIDR to the gateway.
type tgwFixture struct {
	e            *engine.Engine
	tgw          *model.TransitGateway
	va, vb       *model.VPC
	sa, sb       *model.Subnet
	attA, attB   *model.TransitGatewayAttachment
	defaultTable model.TransitGatewayRouteTableID
}

func newTGWFixture(t *testing.T, opts engine.TGWOptions) *tgwFixture {
	t.Helper()
	e := engine.New(engine.WithIDs(engine.SeededIDs(11)))
	x := &tgwFixture{e: e}
	side := func(cidr, sub, name string) (*model.VPC, *model.Subnet) {
		v := orPanic(e.CreateVpc(engine.CreateVpcInput{CIDR: cidr}))
		s := orPanic(e.CreateSubnet(engine.CreateSubnetInput{VpcID: v.ID, CIDR: sub, AvailabilityZone: "us-east-1a"}))
		g := orPanic(e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: v.ID, Name: name + "-sg", Description: name}))
		orPanic(e.AuthorizeSecurityGroup(g.ID, false, []engine.IPPermission{{Protocol: "tcp", FromPort: intp(22), ToPort: intp(22),
			CIDRs: []engine.RuleSource{{Value: "10.0.0.0/8"}}}}))
		orPanic(e.RunInstances(engine.RunInstancesInput{ImageID: "ami-12345678", InstanceType: "t3.micro", SubnetID: s.ID,
			SecurityGroupIDs: []model.SecurityGroupID{g.ID}, Tags: model.Tags{"Name": name}}))
		return v, s
	}
	x.va, x.sa = side("10.0.0.0/16", "10.0.1.0/24", "a")
	x.vb, x.sb = side("10.1.0.0/16", "10.1.1.0/24", "b")
	x.tgw = orPanic(e.CreateTransitGateway(engine.CreateTransitGatewayInput{Options: opts}))
	x.defaultTable = x.tgw.AssociationDefaultRouteTable
	x.attA = orPanic(e.CreateTransitGatewayVpcAttachment(engine.CreateTGWVpcAttachmentInput{TransitGatewayID: x.tgw.ID, VpcID: x.va.ID, SubnetIDs: []model.SubnetID{x.sa.ID}}))
	x.attB = orPanic(e.CreateTransitGatewayVpcAttachment(engine.CreateTGWVpcAttachmentInput{TransitGatewayID: x.tgw.ID, VpcID: x.vb.ID, SubnetIDs: []model.SubnetID{x.sb.ID}}))
	if err := e.CreateRoute(engine.RouteInput{RouteTableID: x.va.MainRouteTable, DestinationCIDR: "10.1.0.0/16", TransitGatewayID: x.tgw.ID}); err != nil {
		t.Fatal(err)
	}
	if err := e.CreateRoute(engine.RouteInput{RouteTableID: x.vb.MainRouteTable, DestinationCIDR: "10.0.0.0/16", TransitGatewayID: x.tgw.ID}); err != nil {
		t.Fatal(err)
	}
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	return x
}

func hopsThrough(r *Result, typ string) []Hop {
	var out []Hop
	for _, h := range r.Forward {
		if h.Component != nil && h.Component.Type == typ {
			out = append(out, h)
		}
	}
	return out
}

func TestTransitGateway(t *testing.T) {
	t.Run("default route table: propagated routes connect both ways", func(t *testing.T) {
		x := newTGWFixture(t, engine.TGWOptions{})
		r := probeSpec(t, compileEngine(x.e), "a", "b:22", "tcp")
		checkClean(t, r, Connected)
		rt := hopsThrough(r, "transit-gateway-route-table")
		if len(rt) != 1 || rt[0].Route == nil || rt[0].Route.Origin != "propagated" || rt[0].Route.Target != string(x.attB.ID) ||
			rt[0].Route.DestinationCIDR.String() != "10.1.0.0/16" {
			t.Fatalf("transit gateway route hop = %+v", rt)
		}
		if len(hopsThrough(r, "transit-gateway-attachment")) != 2 {
			t.Errorf("the path does not enter and leave by the two attachments: %+v", r.Forward)
		}
		checkClean(t, probeSpec(t, compileEngine(x.e), "b", "a:22", "tcp"), Connected)
	})
	t.Run("no association", func(t *testing.T) {
		x := newTGWFixture(t, engine.TGWOptions{DefaultRouteTableAssociation: "disable"})
		check(t, probeSpec(t, compileEngine(x.e), "a", "b:22", "tcp"), NoRoute, CodeTGWAttachNoRTB)
	})
	t.Run("no propagation, no static route", func(t *testing.T) {
		x := newTGWFixture(t, engine.TGWOptions{DefaultRouteTablePropagation: "disable"})
		check(t, probeSpec(t, compileEngine(x.e), "a", "b:22", "tcp"), NoRoute, CodeTGWRTBCannotRoute)
		// A static route to b's attachment fixes the forward path; the
		// reply then needs one back to a.
		orPanic(x.e.CreateTransitGatewayRoute(engine.TGWRouteInput{RouteTableID: x.defaultTable, DestinationCIDR: "10.1.0.0/16", AttachmentID: x.attB.ID}))
		got := check(t, probeSpec(t, compileEngine(x.e), "a", "b:22", "tcp"), Timeout, CodeTGWRTBCannotRoute)
		if got[CodeTGWRTBCannotRoute].Path != "return" {
			t.Errorf("explanation = %+v", got[CodeTGWRTBCannotRoute])
		}
		orPanic(x.e.CreateTransitGatewayRoute(engine.TGWRouteInput{RouteTableID: x.defaultTable, DestinationCIDR: "10.0.0.0/16", AttachmentID: x.attA.ID}))
		checkClean(t, probeSpec(t, compileEngine(x.e), "a", "b:22", "tcp"), Connected)
	})
	t.Run("a more specific blackhole wins", func(t *testing.T) {
		x := newTGWFixture(t, engine.TGWOptions{})
		orPanic(x.e.CreateTransitGatewayRoute(engine.TGWRouteInput{RouteTableID: x.defaultTable, DestinationCIDR: "10.1.1.0/24", Blackhole: true}))
		check(t, probeSpec(t, compileEngine(x.e), "a", "b:22", "tcp"), NoRoute, CodeTGWRTBBadStateRoute)
	})
	t.Run("a zone without an attachment subnet", func(t *testing.T) {
		x := newTGWFixture(t, engine.TGWOptions{})
		s2 := orPanic(x.e.CreateSubnet(engine.CreateSubnetInput{VpcID: x.va.ID, CIDR: "10.0.2.0/24", AvailabilityZone: "us-east-1b"}))
		orPanic(x.e.RunInstances(engine.RunInstancesInput{ImageID: "ami-12345678", SubnetID: s2.ID, Tags: model.Tags{"Name": "c"}}))
		if err := x.e.Converge(); err != nil {
			t.Fatal(err)
		}
		check(t, probeSpec(t, compileEngine(x.e), "c", "b:22", "tcp"), Timeout, CodeTGWAttachAZRestriction)
		orPanic(x.e.ModifyTransitGatewayVpcAttachment(engine.ModifyTGWVpcAttachmentInput{ID: x.attA.ID, AddSubnetIDs: []model.SubnetID{s2.ID}}))
		checkClean(t, probeSpec(t, compileEngine(x.e), "c", "b:22", "tcp"), Connected)
	})
	t.Run("a deleted attachment blackholes its VPC's routes", func(t *testing.T) {
		x := newTGWFixture(t, engine.TGWOptions{})
		orPanic(x.e.DeleteTransitGatewayAttachment(x.attA.ID, model.TGWAttachVPC))
		check(t, probeSpec(t, compileEngine(x.e), "a", "b:22", "tcp"), NoRoute, CodeBadStateRoute)
	})
	t.Run("network ACL of the destination subnet", func(t *testing.T) {
		x := newTGWFixture(t, engine.TGWOptions{})
		acl := orPanic(x.e.CreateNetworkACL(x.vb.ID, nil))
		st, _ := x.e.Snapshot()
		assoc := model.NetworkACLAssocID("")
		for _, a := range st.SubnetNetworkACL(x.sb.ID).Associations {
			if a.SubnetID == x.sb.ID {
				assoc = a.ID
			}
		}
		orPanic(x.e.ReplaceNetworkACLAssociation(assoc, acl.ID))
		check(t, probeSpec(t, compileEngine(x.e), "a", "b:22", "tcp"), Timeout, CodeSubnetACLRestriction)
	})
}

// The hub-and-spoke scenario: the spokes reach each other across the
// transit gateway's own route table (a static and a propagated route);
// the attached but unassociated audit VPC is unreachable, each way with
// its own transit gateway code.
func TestHubAndSpokeScenario(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/tgw/hub-and-spoke.yaml")))
	checkClean(t, probeSpec(t, n, "app-host", "shared-host:22", "tcp"), Connected)
	checkClean(t, probeSpec(t, n, "shared-host", "app-host:22", "tcp"), Connected)
	check(t, probeSpec(t, n, "app-host", "audit-host:22", "tcp"), NoRoute, CodeTGWRTBCannotRoute)
	check(t, probeSpec(t, n, "audit-host", "shared-host:22", "tcp"), NoRoute, CodeTGWAttachNoRTB)
}

// A task of another VPC named as the destination is addressed by its
// private IP when the source's route table sends that address to a
// transit gateway (the way the VPCs are meant to talk), not by its public
// IP through the internet gateway.
func TestTGWNamedTaskPrivateAddress(t *testing.T) {
	e := build(t, repoFile("examples/failures/tgw-attachment-zone.yaml"))
	n := compileEngine(e)
	r := probeSpec(t, n, "orders/1", "ledger/0:8443", "tcp")
	checkClean(t, r, Connected)
	if len(hopsThrough(r, "transit-gateway-attachment")) == 0 || !r.Forward[0].Packet.Destination.IsPrivate() {
		t.Fatalf("want the private address through the transit gateway: %+v", r.Forward[0].Packet)
	}
	// From a VPC with no route to the transit gateway, the public address.
	n = compileEngine(build(t, repoFile("examples/failures/tgw-return-route.yaml")))
	r = probeSpec(t, n, "ledger/0", "orders/0:8080", "tcp")
	if r.Forward[0].Packet.Destination.IsPrivate() {
		t.Fatalf("the shared VPC has no route to the app VPC: want the public address, got %s", r.Forward[0].Packet.Destination)
	}
}
