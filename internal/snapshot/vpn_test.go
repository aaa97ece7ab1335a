package snapshot_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A snapshot keeps a route table's routes to a virtual private gateway
// (the propagated ones too, as DescribeRouteTables lists them) and its
// gateway associations: the instance still reaches the on-premises
// network through the gateway after the round trip.
func TestSnapshotVPNRoutes(t *testing.T) {
	tmpl := `Resources:
  VPC: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref VPC, CidrBlock: 10.0.1.0/24}}
  RT: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref VPC}}
  Assoc: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Subnet, RouteTableId: !Ref RT}}
  VGW: {Type: AWS::EC2::VPNGateway, Properties: {Type: ipsec.1}}
  Attach: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref VPC, VpnGatewayId: !Ref VGW}}
  CGW: {Type: AWS::EC2::CustomerGateway, Properties: {Type: ipsec.1, BgpAsn: 65000, IpAddress: 198.51.100.40}}
  VPN:
    Type: AWS::EC2::VPNConnection
    DependsOn: Attach
    Properties: {Type: ipsec.1, CustomerGatewayId: !Ref CGW, VpnGatewayId: !Ref VGW, StaticRoutesOnly: true}
  VPNRoute: {Type: AWS::EC2::VPNConnectionRoute, Properties: {VpnConnectionId: !Ref VPN, DestinationCidrBlock: 192.168.0.0/16}}
  Prop:
    Type: AWS::EC2::VPNGatewayRoutePropagation
    DependsOn: Attach
    Properties: {VpnGatewayId: !Ref VGW, RouteTableIds: [!Ref RT]}
  Edge:
    Type: AWS::EC2::GatewayRouteTableAssociation
    DependsOn: Attach
    Properties: {GatewayId: !Ref VGW, RouteTableId: !Ref RT}
  App: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-12345678, SubnetId: !Ref Subnet, Tags: [{Key: Name, Value: app}]}}
`
	path := filepath.Join(t.TempDir(), "vpn.yaml")
	if err := os.WriteFile(path, []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := cfn.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	got, _ := roundTrip(t, st)
	rt := got.RouteTables[model.RouteTableID(res.PhysicalIDs["RT"])]
	if rt == nil || len(rt.PropagatingVgws) != 1 || got.GatewayRouteTable(res.PhysicalIDs["VGW"]) != rt {
		t.Fatalf("route table after the round trip: %+v", rt)
	}
	n := reach.Compile(got)
	q, err := reach.NewQuery(n, "app", "192.168.1.1:443", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	r := reach.Probe(n, q)
	if r.Verdict != reach.Connected || r.Forward[len(r.Forward)-1].Component.ID != res.PhysicalIDs["VGW"] {
		t.Errorf("app → on-premises after the round trip: %s", r.Summary)
	}
}
