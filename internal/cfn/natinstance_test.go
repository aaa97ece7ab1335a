package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// A NAT instance as CloudFormation templates build one: an instance with
// SourceDestCheck false in the public subnet, and the private route table's
// 0.0.0.0/0 to its InstanceId. A private instance reaches the internet
// through it; with the check left on, the instance drops what it should
// forward.
func TestNATInstanceTemplate(t *testing.T) {
	tmpl := `
Parameters:
  Check: {Type: String, Default: "false"}
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Igw: {Type: AWS::EC2::InternetGateway}
  Attach: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}}
  Public: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a, MapPublicIpOnLaunch: true}}
  Private: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.11.0/24, AvailabilityZone: us-east-1a}}
  PublicRt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  PublicDefault: {Type: AWS::EC2::Route, DependsOn: Attach, Properties: {RouteTableId: !Ref PublicRt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}}
  PublicAssoc: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Public, RouteTableId: !Ref PublicRt}}
  NatSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: nat
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{IpProtocol: "-1", CidrIp: 10.0.0.0/16}]
  Nat:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-0c1f2a3b4d5e6f708, InstanceType: t4g.nano, SubnetId: !Ref Public, SecurityGroupIds: [!Ref NatSg], SourceDestCheck: !Ref Check}
  PrivateRt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  PrivateDefault: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref PrivateRt, DestinationCidrBlock: 0.0.0.0/0, InstanceId: !Ref Nat}}
  PrivateAssoc: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Private, RouteTableId: !Ref PrivateRt}}
  Worker:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-0c1f2a3b4d5e6f708, InstanceType: t3.micro, SubnetId: !Ref Private, SecurityGroupIds: [!Ref NatSg], Tags: [{Key: Name, Value: worker}]}
`
	res := loadText(t, "nat.yaml", tmpl, nil)
	if r := probe(t, res, "worker", "8.8.8.8:443"); r.Verdict != reach.Connected {
		t.Errorf("SourceDestCheck false: %s: %s", r.Verdict, r.Summary)
	}
	res = loadText(t, "nat.yaml", tmpl, map[string]string{"Check": "true"})
	r := probe(t, res, "worker", "8.8.8.8:443")
	if r.Verdict != reach.Timeout || !r.HasCode(reach.CodeENISourceDestCheck) || !strings.Contains(r.Summary, "source/destination checking is on") {
		t.Errorf("SourceDestCheck true: %s: %s", r.Verdict, r.Summary)
	}
}
