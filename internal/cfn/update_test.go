package cfn_test

import (
	"maps"
	"slices"
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

// updatersTemplate is a stack whose settings change with Two: every
// change is one AWS's resource reference makes without replacement.
const updatersTemplate = `
Parameters:
  Two: {Type: String, Default: "false"}
Conditions:
  IsTwo: !Equals [!Ref Two, "true"]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.9.0.0/16, EnableDnsHostnames: !If [IsTwo, true, false]}
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  A:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.9.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""], MapPublicIpOnLaunch: !If [IsTwo, true, false]}
  B:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.9.2.0/24, AvailabilityZone: !Select [1, !GetAZs ""]}
  Sg1:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: one, VpcId: !Ref Vpc}
  Sg2:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: two, VpcId: !Ref Vpc}
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    DependsOn: Attach
    Properties:
      Name: web-lb
      Subnets: [!Ref A, !Ref B]
      SecurityGroups: [!If [IsTwo, !Ref Sg2, !Ref Sg1]]
      LoadBalancerAttributes: [{Key: idle_timeout.timeout_seconds, Value: !If [IsTwo, "120", "60"]}]
  Tg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Name: web-tg
      VpcId: !Ref Vpc
      Port: 80
      Protocol: HTTP
      TargetType: ip
      HealthCheckPath: !If [IsTwo, /health, /]
      Matcher: {HttpCode: !If [IsTwo, 200-299, "200"]}
      Tags: [{Key: tier, Value: !If [IsTwo, blue, green]}]
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Lb
      Port: 80
      Protocol: HTTP
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Tg}]
  Rule:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref Http
      Priority: !If [IsTwo, 20, 10]
      Conditions: [{Field: path-pattern, Values: [!If [IsTwo, /b/*, /a/*]]}]
      Actions: [{Type: forward, TargetGroupArn: !Ref Tg}]
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: !Ref Vpc}
  AclIn:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, RuleAction: !If [IsTwo, deny, allow], CidrBlock: 0.0.0.0/0, PortRange: {From: 443, To: 443}}
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterName: web
      ClusterSettings: [{Name: containerInsights, Value: !If [IsTwo, enabled, disabled]}]
      Tags: [{Key: tier, Value: !If [IsTwo, blue, green]}]
  Ip:
    Type: AWS::EC2::EIP
    Properties: {Tags: [{Key: tier, Value: !If [IsTwo, blue, green]}]}
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {ImageId: ami-0123456789abcdef0, InstanceType: !If [IsTwo, t3.small, t3.micro]}
  Asg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: !GetAtt Lt.LatestVersionNumber}
      VPCZoneIdentifier: [!Ref A]
      MinSize: 0
      MaxSize: 1
`

// TestDeployExistingUpdaters: each change of updatersTemplate is made in
// place (ChangeModify, the same physical id) and applied to the engine:
// a custom-named target group and cluster keep their names (no duplicate
// name), a cluster's container insights and a target group's health check
// take their new values, a launch template gets a second version its Auto
// Scaling group now launches, and the default version stays 1.
func TestDeployExistingUpdaters(t *testing.T) {
	tpl, err := cfn.ParseTemplate("upd.yaml", []byte(updatersTemplate))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	first, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "upd", AWSTags: true})
	if err != nil {
		t.Fatal(err)
	}
	second, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "upd", AWSTags: true, Existing: existingOf(first),
		Parameters: map[string]string{"Two": "true"}})
	if err != nil {
		t.Fatal(err)
	}
	modified := []string{"Vpc", "A", "Lb", "Tg", "Rule", "AclIn", "Cluster", "Ip", "Lt", "Asg"}
	for _, r := range second.Resources {
		want := cfn.ChangeNone
		if slices.Contains(modified, r.LogicalID) {
			want = cfn.ChangeModify
		}
		if r.Change != want || r.PhysicalID != first.PhysicalIDs[r.LogicalID] {
			t.Errorf("%s: %q %s, want %q %s", r.LogicalID, r.Change, r.PhysicalID, want, first.PhysicalIDs[r.LogicalID])
		}
	}
	id := first.PhysicalIDs
	e.Read(func(st *model.State) {
		if v := st.VPCs[model.VpcID(id["Vpc"])]; v == nil || !v.EnableDNSHostnames {
			t.Errorf("vpc: DNS hostnames not enabled")
		}
		if s := st.Subnets[model.SubnetID(id["A"])]; s == nil || !s.MapPublicIPOnLaunch {
			t.Errorf("subnet A: MapPublicIpOnLaunch not set")
		}
		lb := st.LoadBalancers[id["Lb"]]
		if lb == nil || !slices.Equal(lb.SecurityGroups, []model.SecurityGroupID{model.SecurityGroupID(id["Sg2"])}) {
			t.Errorf("lb groups: %v, want [%s]", lb.SecurityGroups, id["Sg2"])
		}
		if lb != nil && lb.Attributes["idle_timeout.timeout_seconds"] != "120" {
			t.Errorf("lb idle timeout %q, want 120", lb.Attributes["idle_timeout.timeout_seconds"])
		}
		tg := st.TargetGroups[id["Tg"]]
		if tg == nil || tg.HealthCheck.Path != "/health" || tg.HealthCheck.Matcher != "200-299" || tg.Tags["tier"] != "blue" {
			t.Errorf("target group: %+v", tg)
		}
		if r := st.ListenerRules[id["Rule"]]; r == nil || r.Priority != 20 || len(r.Conditions) != 1 || !slices.Equal(r.Conditions[0].Values, []string{"/b/*"}) {
			t.Errorf("rule: %+v", r)
		}
		for _, c := range st.Clusters {
			if c.Name == "web" && (c.ContainerInsights != "enabled" || c.Tags["tier"] != "blue") {
				t.Errorf("cluster web: containerInsights %q, tags %v, want enabled and tier=blue", c.ContainerInsights, c.Tags)
			}
		}
		for _, a := range st.Addresses {
			if a.PublicIP.String() == id["Ip"] && a.Tags["tier"] != "blue" {
				t.Errorf("EIP tags %v, want tier=blue", a.Tags)
			}
		}
		lt := st.LaunchTemplates[model.LaunchTemplateID(id["Lt"])]
		if lt == nil || len(lt.Versions) != 2 || lt.Versions[1].Data.InstanceType != "t3.small" || lt.DefaultVersion != 1 {
			t.Errorf("launch template: %+v", lt)
		}
		if g := st.AutoScalingGroups[id["Asg"]]; g == nil || g.LaunchTemplate == nil || g.LaunchTemplate.Version != "2" {
			t.Errorf("asg launch template: %+v", g.LaunchTemplate)
		}
	})
	found := false
	e.Read(func(st *model.State) {
		for _, acl := range st.NetworkACLs {
			if string(acl.ID) != id["Acl"] {
				continue
			}
			for _, en := range acl.Entries {
				if en.RuleNumber == 100 && !en.Egress {
					found = true
					if en.Action != model.Deny {
						t.Errorf("acl entry action %q, want deny", en.Action)
					}
				}
			}
		}
	})
	if !found {
		t.Error("acl entry 100 gone")
	}
}

// TestDeployExistingCapacityProvider: a capacity provider's target
// capacity and the cluster's default strategy change in place
// (UpdateCapacityProvider, PutClusterCapacityProviders); another Auto
// Scaling group replaces the provider (AutoScalingGroupArn is fixed), and
// the association follows it in place.
func TestDeployExistingCapacityProvider(t *testing.T) {
	tpl, err := cfn.ParseTemplate("cp.yaml", []byte(`
Parameters:
  Target: {Type: String, Default: "100"}
  Weight: {Type: String, Default: "1"}
  Group: {Type: String, Default: A}
Conditions:
  IsA: !Equals [!Ref Group, A]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  Cluster:
    Type: AWS::ECS::Cluster
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {ImageId: ami-0123456789abcdef0, InstanceType: m5.large}
  AsgA:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: !GetAtt Lt.LatestVersionNumber}
      VPCZoneIdentifier: [!Ref Subnet]
      MinSize: 0
      MaxSize: 1
  AsgB:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: !GetAtt Lt.LatestVersionNumber}
      VPCZoneIdentifier: [!Ref Subnet]
      MinSize: 0
      MaxSize: 1
  Provider:
    Type: AWS::ECS::CapacityProvider
    Properties:
      AutoScalingGroupProvider:
        AutoScalingGroupArn: !If [IsA, !Ref AsgA, !Ref AsgB]
        ManagedScaling: {Status: ENABLED, TargetCapacity: !Ref Target}
  Association:
    Type: AWS::ECS::ClusterCapacityProviderAssociations
    Properties:
      Cluster: !Ref Cluster
      CapacityProviders: [!Ref Provider]
      DefaultCapacityProviderStrategy: [{CapacityProvider: !Ref Provider, Weight: !Ref Weight}]
`))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	first, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "cp", AWSTags: true})
	if err != nil {
		t.Fatal(err)
	}
	changes := func(s *cfn.Stack) map[string]string {
		out := map[string]string{}
		for _, r := range s.Resources {
			if r.Change != cfn.ChangeNone {
				out[r.LogicalID] = r.Change
			}
		}
		return out
	}
	second, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "cp", AWSTags: true, Existing: existingOf(first),
		Parameters: map[string]string{"Target": "80", "Weight": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := changes(second), map[string]string{"Provider": cfn.ChangeModify, "Association": cfn.ChangeModify}; !maps.Equal(got, want) {
		t.Errorf("changes %v, want %v", got, want)
	}
	e.Read(func(st *model.State) {
		found := false
		for _, cp := range st.CapacityProviders {
			if cp.Name == first.PhysicalIDs["Provider"] {
				found = true
				if cp.TargetCapacity != 80 {
					t.Errorf("provider: %+v, want target capacity 80", cp)
				}
			}
		}
		if !found {
			t.Errorf("no provider %s", first.PhysicalIDs["Provider"])
		}
		for _, c := range st.Clusters {
			if c.Name == first.PhysicalIDs["Cluster"] && (len(c.DefaultStrategy) != 1 || c.DefaultStrategy[0].Weight != 2) {
				t.Errorf("cluster default strategy %+v, want weight 2", c.DefaultStrategy)
			}
		}
	})
	third, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "cp", AWSTags: true, Existing: existingOf(second),
		Parameters: map[string]string{"Target": "80", "Weight": "2", "Group": "B"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := changes(third), map[string]string{"Provider": cfn.ChangeReplace, "Association": cfn.ChangeModify}; !maps.Equal(got, want) {
		t.Errorf("changes %v, want %v", got, want)
	}
}

// TestDeployExistingRemovedSettings: a health check setting or a target
// group attribute removed from the template returns to AWS's default (the
// path "/", deregistration delay 300), in place.
func TestDeployExistingRemovedSettings(t *testing.T) {
	tpl, err := cfn.ParseTemplate("rm.yaml", []byte(`
Parameters:
  Set: {Type: String, Default: "true"}
Conditions:
  IsSet: !Equals [!Ref Set, "true"]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.9.0.0/16}
  Tg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      VpcId: !Ref Vpc
      Port: 80
      Protocol: HTTP
      TargetType: ip
      HealthCheckPath: !If [IsSet, /health, !Ref AWS::NoValue]
      TargetGroupAttributes: !If [IsSet, [{Key: deregistration_delay.timeout_seconds, Value: "30"}], !Ref AWS::NoValue]
`))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	first, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "rm", AWSTags: true})
	if err != nil {
		t.Fatal(err)
	}
	arn := first.PhysicalIDs["Tg"]
	delay := func() string {
		attrs, err := e.TargetGroupAttributes(arn)
		if err != nil {
			t.Fatal(err)
		}
		for _, kv := range attrs {
			if kv[0] == "deregistration_delay.timeout_seconds" {
				return kv[1]
			}
		}
		return ""
	}
	if d := delay(); d != "30" {
		t.Fatalf("delay %q after create, want 30", d)
	}
	second, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "rm", AWSTags: true, Existing: existingOf(first),
		Parameters: map[string]string{"Set": "false"}})
	if err != nil {
		t.Fatal(err)
	}
	if id := second.PhysicalIDs["Tg"]; id != arn {
		t.Errorf("target group replaced: %s, was %s", id, arn)
	}
	if d := delay(); d != "300" {
		t.Errorf("delay %q after the attribute's removal, want the default 300", d)
	}
	e.Read(func(st *model.State) {
		if tg := st.TargetGroups[arn]; tg == nil || tg.HealthCheck.Path != "/" {
			t.Errorf("health check path after its removal: %+v, want /", tg)
		}
	})
}

// TestDeployExistingVPCTenancy: a VPC's tenancy changes in place from
// dedicated to default; from default to dedicated it is replaced.
func TestDeployExistingVPCTenancy(t *testing.T) {
	tpl, err := cfn.ParseTemplate("ten.yaml", []byte(`
Parameters:
  Tenancy: {Type: String, Default: dedicated}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.9.0.0/16, InstanceTenancy: !Ref Tenancy}
`))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	first, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "ten", AWSTags: true})
	if err != nil {
		t.Fatal(err)
	}
	second, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "ten", AWSTags: true, Existing: existingOf(first),
		Parameters: map[string]string{"Tenancy": "default"}})
	if err != nil {
		t.Fatal(err)
	}
	if r := second.Resources[0]; r.Change != cfn.ChangeModify || r.PhysicalID != first.PhysicalIDs["Vpc"] {
		t.Errorf("dedicated to default: %q %s, want Modify %s", r.Change, r.PhysicalID, first.PhysicalIDs["Vpc"])
	}
	e.Read(func(st *model.State) {
		if v := st.VPCs[model.VpcID(first.PhysicalIDs["Vpc"])]; v == nil || v.InstanceTenancy != "default" {
			t.Errorf("tenancy: %+v, want default", v)
		}
	})
	third, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "ten", AWSTags: true, Existing: existingOf(second)})
	if err != nil {
		t.Fatal(err)
	}
	if r := third.Resources[0]; r.Change != cfn.ChangeReplace {
		t.Errorf("default to dedicated: %q, want Replace", r.Change)
	}
}

// TestDeployExistingServiceStrategy: a service's CapacityProviderStrategy
// changes in place since June 2025 (same service, a new deployment on
// the new provider); removing the property leaves the strategy as it is.
func TestDeployExistingServiceStrategy(t *testing.T) {
	src := func(strategy string) []byte {
		return []byte(`
Parameters:
  Provider: {Type: String, Default: FARGATE}
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.8.0.0/16}}
  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.8.1.0/24}}
  Cluster:
    Type: AWS::ECS::Cluster
    Properties: {CapacityProviders: [FARGATE, FARGATE_SPOT]}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions: [{Name: web, Image: nginx}]
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
      DesiredCount: 1` + strategy + `
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref Subnet]}}
`)
	}
	withStrategy := "\n      CapacityProviderStrategy: [{CapacityProvider: !Ref Provider, Weight: 1}]"
	tpl, err := cfn.ParseTemplate("svc.yaml", src(withStrategy))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	first, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "svc"})
	if err != nil {
		t.Fatal(err)
	}
	strategyOf := func(s *cfn.Stack) (string, []model.CapacityProviderStrategyItem, int) {
		arn := s.PhysicalIDs["Service"]
		var items []model.CapacityProviderStrategyItem
		deployments := 0
		e.Read(func(st *model.State) {
			items, deployments = st.Services[arn].CapacityProviders, len(st.Services[arn].Deployments)
		})
		return arn, items, deployments
	}
	arn, items, _ := strategyOf(first)
	if len(items) != 1 || items[0].CapacityProvider != "FARGATE" {
		t.Fatalf("created with %v, want FARGATE", items)
	}
	second, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "svc", Existing: existingOf(first), Parameters: map[string]string{"Provider": "FARGATE_SPOT"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range second.Resources {
		if r.LogicalID == "Service" && r.Change != cfn.ChangeModify {
			t.Errorf("Service: %q, want Modify (in place)", r.Change)
		}
	}
	arn2, items, deployments := strategyOf(second)
	if arn2 != arn || len(items) != 1 || items[0].CapacityProvider != "FARGATE_SPOT" || deployments < 1 {
		t.Errorf("after the update: %s %v (%d deployments), want %s on FARGATE_SPOT", arn2, items, deployments, arn)
	}
	gone, err := cfn.ParseTemplate("svc.yaml", src(""))
	if err != nil {
		t.Fatal(err)
	}
	third, err := cfn.Deploy(e, gone, cfn.DeployOptions{StackName: "svc", Existing: existingOf(second), Parameters: map[string]string{"Provider": "FARGATE_SPOT"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, items, _ := strategyOf(third); len(items) != 1 || items[0].CapacityProvider != "FARGATE_SPOT" {
		t.Errorf("with the property removed: %v, want FARGATE_SPOT kept", items)
	}
}
