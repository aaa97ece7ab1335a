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

// TestDeployExistingRoute: a route's target changes in place
// (ReplaceRoute: same route, new target), where creating a second route
// to the same destination would fail.
func TestDeployExistingRoute(t *testing.T) {
	tpl, err := cfn.ParseTemplate("route.yaml", []byte(`
Parameters:
  Target: {Type: String, Default: igw}
Conditions:
  UseEni: !Equals [!Ref Target, eni]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.9.0.0/16}
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.9.1.0/24}
  Eni:
    Type: AWS::EC2::NetworkInterface
    Properties: {SubnetId: !Ref Subnet}
  Rt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  Default:
    Type: AWS::EC2::Route
    DependsOn: Attach
    Properties:
      RouteTableId: !Ref Rt
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !If [UseEni, !Ref AWS::NoValue, !Ref Igw]
      NetworkInterfaceId: !If [UseEni, !Ref Eni, !Ref AWS::NoValue]
`))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	first, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "route", AWSTags: true})
	if err != nil {
		t.Fatal(err)
	}
	second, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "route", AWSTags: true, Existing: existingOf(first),
		Parameters: map[string]string{"Target": "eni"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range second.Resources {
		want := cfn.ChangeNone
		if r.LogicalID == "Default" {
			want = cfn.ChangeModify
		}
		if r.Change != want {
			t.Errorf("%s: %q, want %q", r.LogicalID, r.Change, want)
		}
	}
	var target string
	e.Read(func(st *model.State) {
		for _, r := range st.RouteTables[model.RouteTableID(first.PhysicalIDs["Rt"])].Routes {
			if r.Destination.String() == "0.0.0.0/0" {
				target = r.TargetID
			}
		}
	})
	if target != first.PhysicalIDs["Eni"] {
		t.Errorf("default route's interface %q, want %s", target, first.PhysicalIDs["Eni"])
	}
}

// TestDeployExistingListener: a listener's default action moves to
// another target group in place (ModifyListener), where a second listener
// on the same port would fail.
func TestDeployExistingListener(t *testing.T) {
	tpl, err := cfn.ParseTemplate("lb.yaml", []byte(`
Parameters:
  Blue: {Type: String, Default: "true"}
Conditions:
  IsBlue: !Equals [!Ref Blue, "true"]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.9.0.0/16}
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  A:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.9.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  B:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.9.2.0/24, AvailabilityZone: !Select [1, !GetAZs ""]}
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    DependsOn: Attach
    Properties: {Subnets: [!Ref A, !Ref B]}
  BlueTg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {VpcId: !Ref Vpc, Port: 80, Protocol: HTTP, TargetType: ip}
  GreenTg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {VpcId: !Ref Vpc, Port: 80, Protocol: HTTP, TargetType: ip}
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Lb
      Port: 80
      Protocol: HTTP
      DefaultActions: [{Type: forward, TargetGroupArn: !If [IsBlue, !Ref BlueTg, !Ref GreenTg]}]
`))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	first, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "lb", AWSTags: true})
	if err != nil {
		t.Fatal(err)
	}
	second, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "lb", AWSTags: true, Existing: existingOf(first),
		Parameters: map[string]string{"Blue": "false"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range second.Resources {
		want := cfn.ChangeNone
		if r.LogicalID == "Http" {
			want = cfn.ChangeModify
		}
		if r.Change != want {
			t.Errorf("%s: %q, want %q", r.LogicalID, r.Change, want)
		}
	}
	var tg string
	e.Read(func(st *model.State) {
		if l := st.Listeners[first.PhysicalIDs["Http"]]; l != nil && len(l.DefaultActions) == 1 {
			tg = l.DefaultActions[0].TargetGroupARN
		}
	})
	if tg != first.PhysicalIDs["GreenTg"] {
		t.Errorf("listener forwards to %q, want %s", tg, first.PhysicalIDs["GreenTg"])
	}
}
