package cfn_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// existingOf is what an update binds: the resources a deploy reported.
func existingOf(s *cfn.Stack) map[string]cfn.Existing {
	out := map[string]cfn.Existing{}
	for _, r := range s.Resources {
		out[r.LogicalID] = cfn.Existing{Type: r.Type, PhysicalID: r.PhysicalID, Keys: r.Keys, Props: r.Props, Attrs: r.Attrs}
	}
	return out
}

// TestDeployExisting: deploying a template again with the stack's
// resources as Existing creates nothing when nothing changed (every
// resource ChangeNone, the same ids); a changed tag is updated in place
// (ChangeModify, same id, the engine's tags changed); a changed CIDR
// replaces the subnet (ChangeReplace, a new subnet, the old one left for
// the caller), and the resource that references it changes with it.
func TestDeployExisting(t *testing.T) {
	tpl, err := cfn.ParseTemplate("net.yaml", []byte(`
Parameters:
  Env: {Type: String, Default: dev}
  Cidr: {Type: String, Default: 10.9.1.0/24}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.9.0.0/16, Tags: [{Key: env, Value: !Ref Env}]}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: !Ref Cidr}
  Rt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !GetAtt Vpc.VpcId}
  Assoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Subnet, RouteTableId: !Ref Rt}
`))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	first, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "net", AWSTags: true})
	if err != nil {
		t.Fatal(err)
	}
	ids := first.PhysicalIDs
	again, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "net", AWSTags: true, Existing: existingOf(first)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again.Resources {
		if r.Change != cfn.ChangeNone || r.PhysicalID != ids[r.LogicalID] {
			t.Errorf("unchanged %s: %q %s, want None %s", r.LogicalID, r.Change, r.PhysicalID, ids[r.LogicalID])
		}
	}
	subnets := func() int {
		n := 0
		e.Read(func(st *model.State) { n = len(st.Subnets) })
		return n
	}
	before := subnets()
	third, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "net", AWSTags: true, Existing: existingOf(again),
		Parameters: map[string]string{"Env": "prod", "Cidr": "10.9.2.0/24"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Vpc": cfn.ChangeModify, "Subnet": cfn.ChangeReplace, "Rt": cfn.ChangeNone, "Assoc": cfn.ChangeReplace}
	for _, r := range third.Resources {
		if r.Change != want[r.LogicalID] {
			t.Errorf("%s: %q, want %q", r.LogicalID, r.Change, want[r.LogicalID])
		}
		if same := r.PhysicalID == ids[r.LogicalID]; same != (r.Change != cfn.ChangeReplace) {
			t.Errorf("%s: id %s (was %s) after %q", r.LogicalID, r.PhysicalID, ids[r.LogicalID], r.Change)
		}
	}
	if got := subnets(); got != before+1 {
		t.Errorf("%d subnets, want %d (the old one is the caller's to delete)", got, before+1)
	}
	var env string
	e.Read(func(st *model.State) { env = st.VPCs[model.VpcID(ids["Vpc"])].Tags["env"] })
	if env != "prod" {
		t.Errorf("Vpc tag env=%q, want prod (updated in place)", env)
	}
}
