package dataplane

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// withVGW builds a VPC with an instance (its group's default egress) and
// a virtual private gateway: a static route sends 192.168.0.0/16 to it,
// and a VPN connection's static route 172.16.0.0/16 is propagated to the
// main route table when propagate is set.
func withVGW(t *testing.T, propagate bool) *model.State {
	t.Helper()
	e := engine.New(engine.WithIDs(engine.SeededIDs(11)))
	v := must(e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}))
	s := must(e.CreateSubnet(engine.CreateSubnetInput{VpcID: v.ID, CIDR: "10.0.1.0/24"}))
	g := must(e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: v.ID, Name: "a-sg", Description: "a"}))
	must(e.RunInstances(engine.RunInstancesInput{ImageID: "ami-12345678", InstanceType: "t3.micro", SubnetID: s.ID,
		SecurityGroupIDs: []model.SecurityGroupID{g.ID}, Tags: model.Tags{"Name": "a"}}))
	vgw := must(e.CreateVpnGateway(engine.CreateVpnGatewayInput{Type: "ipsec.1"}))
	if err := e.AttachVpnGateway(vgw.ID, v.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.CreateRoute(engine.RouteInput{RouteTableID: v.MainRouteTable, DestinationCIDR: "192.168.0.0/16", GatewayID: string(vgw.ID)}); err != nil {
		t.Fatal(err)
	}
	cgw := must(e.CreateCustomerGateway(engine.CreateCustomerGatewayInput{Type: "ipsec.1", IPAddress: "203.0.113.12"}))
	conn := must(e.CreateVpnConnection(engine.CreateVpnConnectionInput{Type: "ipsec.1", CustomerGatewayID: cgw.ID, VpnGatewayID: vgw.ID, StaticRoutesOnly: true}))
	if err := e.SetVpnConnectionRoute(conn.ID, "172.16.0.0/16", true); err != nil {
		t.Fatal(err)
	}
	if propagate {
		if err := e.SetVgwRoutePropagation(v.MainRouteTable, vgw.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	st, _ := e.Snapshot()
	return st
}

// A virtual private gateway for real: the on-premises network behind it
// answers what the VPC's routes send it (a static route, or one the VPN
// connection propagates); without a route, nothing leaves.
func TestVpnGateway(t *testing.T) {
	isolated(t)
	for _, c := range []struct {
		name      string
		propagate bool
		to        string
		want      reach.Verdict
	}{
		{"static route", false, "192.168.1.10:443", reach.Connected},
		{"propagated route", true, "172.16.5.5:22", reach.Connected},
		{"not propagated", false, "172.16.5.5:22", reach.NoRoute},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := withVGW(t, c.propagate)
			s := up(t, st)
			agree(t, s, st, "a", c.to, c.want)
		})
	}
}

// The plan puts the on-premises stand-in behind the gateway.
func TestPlanVpnGateway(t *testing.T) {
	p := mustPlan(t, withVGW(t, true))
	n := 0
	for _, ns := range p.Namespaces {
		if ns.Role == "onprem" {
			n++
		}
	}
	routes := 0
	for _, r := range p.Routes {
		if r.Dev == "vgw" && !r.Blackhole {
			routes++
		}
	}
	if n != 1 || routes != 2 {
		t.Errorf("%d on-premises namespaces and %d routes to them, want 1 and 2 (static and propagated)", n, routes)
	}
}
