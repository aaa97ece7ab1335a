package snapshot_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// An instance target's describe-target-health output carries no
// AvailabilityZone (AWS gives it for ip targets only): the snapshot takes
// the instance's zone, so a healthy instance behind an ALB in its zone is
// not reported as Target.NotInUse. Reading `ecsnet serve` as a SOURCE
// reported every instance target of every ALB this way.
func TestInstanceTargetZoneFromInstance(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "t.yaml")
	if err := os.WriteFile(tmpl, []byte(`Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Igw: {Type: AWS::EC2::InternetGateway}
  Att: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}}
  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}}
  B: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: us-east-1b}}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: all
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{IpProtocol: "-1", CidrIp: 10.0.0.0/16}, {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}]
  Web: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-12345678, InstanceType: t3.micro, SubnetId: !Ref B, SecurityGroupIds: [!Ref Sg]}}
  Lb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, DependsOn: Att, Properties: {Subnets: [!Ref A, !Ref B], SecurityGroups: [!Ref Sg]}}
  Tg: {Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: {VpcId: !Ref Vpc, Port: 80, Protocol: HTTP, Targets: [{Id: !Ref Web}]}}
  L: {Type: AWS::ElasticLoadBalancingV2::Listener, Properties: {LoadBalancerArn: !Ref Lb, Port: 80, Protocol: HTTP, DefaultActions: [{Type: forward, TargetGroupArn: !Ref Tg}]}}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := cfn.Load(tmpl, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	snap := filepath.Join(dir, "snap")
	if err := snapshot.Write(snap, st); err != nil {
		t.Fatal(err)
	}
	loaded, err := snapshot.Load(snap)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := loaded.Engine.Snapshot()
	tg := got.TargetGroups[res.PhysicalIDs["Tg"]]
	if tg == nil || tg.Targets.Len() != 1 {
		t.Fatalf("target group %s: %+v", res.PhysicalIDs["Tg"], tg)
	}
	x := tg.Targets.Slice()[0]
	if x.AvailabilityZone != "us-east-1b" {
		t.Errorf("instance target zone = %q, want us-east-1b (its instance's)", x.AvailabilityZone)
	}
	for _, h := range reach.TargetHealth(reach.Compile(got), tg.ARN) {
		if h.Reason == reach.ReasonNotInUse {
			t.Errorf("target %s: %s %s (%s)", h.Target.ID, h.State, h.Reason, h.Description)
		}
	}
}
