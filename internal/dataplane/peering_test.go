package dataplane

import (
	"context"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// peered builds two VPCs with an instance each (sshd on 22, each group
// admitting ssh from the other's group) and a peering connection;
// routeA and routeB say which sides route the other's CIDR through it.
func peered(t *testing.T, accept, routeA, routeB bool) *model.State {
	t.Helper()
	e := engine.New(engine.WithIDs(engine.SeededIDs(7)))
	side := func(cidr, sub, name string) (*model.VPC, *model.SecurityGroup) {
		v := must(e.CreateVpc(engine.CreateVpcInput{CIDR: cidr}))
		s := must(e.CreateSubnet(engine.CreateSubnetInput{VpcID: v.ID, CIDR: sub}))
		g := must(e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: v.ID, Name: name + "-sg", Description: name}))
		must(e.RunInstances(engine.RunInstancesInput{ImageID: "ami-12345678", InstanceType: "t3.micro", SubnetID: s.ID,
			SecurityGroupIDs: []model.SecurityGroupID{g.ID}, Tags: model.Tags{"Name": name}}))
		return v, g
	}
	va, ga := side("10.0.0.0/16", "10.0.1.0/24", "a")
	vb, gb := side("10.1.0.0/16", "10.1.1.0/24", "b")
	pcx := must(e.CreateVpcPeeringConnection(engine.CreateVpcPeeringInput{VpcID: va.ID, PeerVpcID: vb.ID}))
	if accept {
		must(e.AcceptVpcPeeringConnection(pcx.ID))
		port := 22
		must(e.AuthorizeSecurityGroup(gb.ID, false, []engine.IPPermission{{Protocol: "tcp", FromPort: &port, ToPort: &port,
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
	st, _ := e.Snapshot()
	return st
}

// VPC peering for real: routes on both sides connect (the peer's group
// admits the source's group across the connection); without the return
// route, or with the connection pending, or towards a group that does
// not admit it, the kernel agrees with the analyzer.
func TestPeering(t *testing.T) {
	isolated(t)
	for _, c := range []struct {
		name                   string
		accept, routeA, routeB bool
		from, to               string
		want                   reach.Verdict
	}{
		{"routes on both sides", true, true, true, "a", "b:22", reach.Connected},
		{"no return route", true, true, false, "a", "b:22", reach.Timeout},
		{"no forward route", true, false, true, "a", "b:22", reach.NoRoute},
		{"pending connection", false, true, true, "a", "b:22", reach.NoRoute},
		{"the other way, no rule", true, true, true, "b", "a:22", reach.Timeout},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := peered(t, c.accept, c.routeA, c.routeB)
			s := up(t, st)
			n := reach.Compile(st)
			q, err := reach.NewQuery(n, c.from, c.to, "tcp")
			if err != nil {
				t.Fatal(err)
			}
			real, res := s.Probe(context.Background(), q)
			if res.Verdict != c.want {
				t.Errorf("the analyzer says %s, want %s: %s", res.Verdict, c.want, res.Summary)
			}
			if !Agree(res.Verdict, real) {
				t.Errorf("the kernel says %s (%s), the analyzer %s", real.Verdict, real.Detail, res.Verdict)
			}
		})
	}
}
