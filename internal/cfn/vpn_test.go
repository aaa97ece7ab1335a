package cfn_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

const vpnTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VPC, CidrBlock: 10.0.1.0/24}
  RouteTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref VPC}
  EdgeRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref VPC}
  SubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Subnet, RouteTableId: !Ref RouteTable}
  IGW:
    Type: AWS::EC2::InternetGateway
  IGWAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref VPC, InternetGatewayId: !Ref IGW}
  EdgeAssociation:
    Type: AWS::EC2::GatewayRouteTableAssociation
    DependsOn: IGWAttachment
    Properties: {GatewayId: !Ref IGW, RouteTableId: !Ref EdgeRouteTable}
  VGW:
    Type: AWS::EC2::VPNGateway
    Properties: {Type: ipsec.1, AmazonSideAsn: 64600, Tags: [{Key: Name, Value: to-dc}]}
  VGWAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref VPC, VpnGatewayId: !Ref VGW}
  CGW:
    Type: AWS::EC2::CustomerGateway
    Properties: {Type: ipsec.1, BgpAsn: 65010, IpAddress: 198.51.100.20}
  VPN:
    Type: AWS::EC2::VPNConnection
    DependsOn: VGWAttachment
    Properties:
      Type: ipsec.1
      CustomerGatewayId: !Ref CGW
      VpnGatewayId: !Ref VGW
      StaticRoutesOnly: true
  VPNRoute:
    Type: AWS::EC2::VPNConnectionRoute
    Properties: {VpnConnectionId: !Ref VPN, DestinationCidrBlock: 192.168.0.0/16}
  Propagation:
    Type: AWS::EC2::VPNGatewayRoutePropagation
    DependsOn: VGWAttachment
    Properties: {VpnGatewayId: !Ref VGW, RouteTableIds: [!Ref RouteTable]}
  DCRoute:
    Type: AWS::EC2::Route
    DependsOn: VGWAttachment
    Properties: {RouteTableId: !Ref RouteTable, DestinationCidrBlock: 172.16.0.0/12, GatewayId: !Ref VGW}
  App:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-12345678, SubnetId: !Ref Subnet, Tags: [{Key: Name, Value: app}]}
Outputs:
  Edge:
    Value: !GetAtt EdgeAssociation.AssociationId
`

// Site-to-Site VPN resources and a gateway route table in a template are
// created, not skipped; the analyzer sends the instance's traffic to the
// on-premises network through the virtual private gateway; deleting the
// stack removes them.
func TestVPNTemplate(t *testing.T) {
	res := loadText(t, "vpn.yaml", vpnTemplate, nil)
	if len(res.Skipped) != 0 {
		t.Fatalf("skipped: %+v", res.Skipped)
	}
	st := state(res)
	vgw := st.VpnGateways[model.VpnGatewayID(res.PhysicalIDs["VGW"])]
	if vgw == nil || vgw.AttachedVpc() != model.VpcID(res.PhysicalIDs["VPC"]) || vgw.AmazonSideAsn != 64600 {
		t.Fatalf("the virtual private gateway: %+v", vgw)
	}
	vpn := st.VpnConnections[model.VpnConnectionID(res.PhysicalIDs["VPN"])]
	if vpn == nil || !vpn.StaticRoutesOnly || len(vpn.Routes) != 1 || vpn.Routes[0].Destination.String() != "192.168.0.0/16" {
		t.Fatalf("the VPN connection: %+v", vpn)
	}
	rt := st.RouteTables[model.RouteTableID(res.PhysicalIDs["RouteTable"])]
	if !slices.Contains(rt.PropagatingVgws, vgw.ID) || !hasRoute(rt, "172.16.0.0/12", model.TargetVpnGateway) {
		t.Errorf("route table: propagating %v, routes %+v", rt.PropagatingVgws, rt.Routes)
	}
	if prop := st.PropagatedRoutes(rt); len(prop) != 1 || prop[0].Destination.String() != "192.168.0.0/16" {
		t.Errorf("propagated routes %+v", prop)
	}
	edge := st.GatewayRouteTable(res.PhysicalIDs["IGW"])
	if edge == nil || string(edge.ID) != res.PhysicalIDs["EdgeRouteTable"] || !strings.HasPrefix(res.Outputs["Edge"], "rtbassoc-") {
		t.Errorf("edge association: %v, output %q", edge, res.Outputs["Edge"])
	}

	n := reach.Compile(st)
	for _, to := range []string{"192.168.7.9:443", "172.20.0.5:22"} {
		q, err := reach.NewQuery(n, "app", to, "tcp")
		if err != nil {
			t.Fatal(err)
		}
		r := reach.Probe(n, q)
		if r.Verdict != reach.Connected {
			t.Errorf("app → %s: %s", to, r.Summary)
			continue
		}
		last := r.Forward[len(r.Forward)-1]
		if last.Component == nil || last.Component.ID != string(vgw.ID) || last.Route == nil || last.Route.Target != string(vgw.ID) {
			t.Errorf("app → %s: the last hop is %+v, want the gateway %s and the route that chose it", to, last, vgw.ID)
		}
	}
	// Nothing from the internet enters through the virtual private gateway.
	q, err := reach.NewQuery(n, "internet", "app:22", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if r := reach.Probe(n, q); r.Verdict == reach.Connected {
		t.Errorf("internet → app: %s", r.Summary)
	}

	if err := cfn.DeleteResources(res.Engine, res.Resources); err != nil {
		t.Fatal(err)
	}
	st = state(res)
	if len(st.VPCs) != 0 || st.VpnGateways[vgw.ID].State != "deleted" || st.VpnConnections[vpn.ID].State != "deleted" {
		t.Errorf("after deleting: %d VPCs, gateway %s, connection %s", len(st.VPCs), st.VpnGateways[vgw.ID].State, st.VpnConnections[vpn.ID].State)
	}
}

const edgeTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VPC, CidrBlock: 10.0.1.0/24, MapPublicIpOnLaunch: true}
  IGW:
    Type: AWS::EC2::InternetGateway
  IGWAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref VPC, InternetGatewayId: !Ref IGW}
  RouteTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref VPC}
  Default:
    Type: AWS::EC2::Route
    DependsOn: IGWAttachment
    Properties: {RouteTableId: !Ref RouteTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref IGW}
  SubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Subnet, RouteTableId: !Ref RouteTable}
  SSH:
    Type: AWS::EC2::SecurityGroup
    Properties:
      VpcId: !Ref VPC
      GroupDescription: ssh
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]
  App:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-12345678, SubnetId: !Ref Subnet, SecurityGroupIds: [!Ref SSH], Tags: [{Key: Name, Value: app}]}
  Appliance:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-12345678, SubnetId: !Ref Subnet, Tags: [{Key: Name, Value: firewall}]}
  EdgeRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref VPC}
  Inspect:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref EdgeRouteTable, DestinationCidrBlock: 10.0.1.0/24, InstanceId: !Ref Appliance}
%s`

const edgeAssociation = `  EdgeAssociation:
    Type: AWS::EC2::GatewayRouteTableAssociation
    DependsOn: IGWAttachment
    Properties: {GatewayId: !Ref IGW, RouteTableId: !Ref EdgeRouteTable}
`

// A gateway route table decides where traffic entering through the
// internet gateway goes: with the edge association, the packet for the
// instance is sent to the appliance first (which ecsnet does not follow);
// without it, the packet goes straight to the instance.
func TestGatewayRouteTableIngress(t *testing.T) {
	for _, assoc := range []bool{false, true} {
		text := fmt.Sprintf(edgeTemplate, "")
		if assoc {
			text = fmt.Sprintf(edgeTemplate, edgeAssociation)
		}
		res := loadText(t, "edge.yaml", text, nil)
		r := probe(t, res, "internet", "app:22")
		if !assoc {
			if r.Verdict != reach.Connected {
				t.Errorf("without the edge association: %s", r.Summary)
			}
			continue
		}
		if r.Verdict != reach.Unknown {
			t.Fatalf("with the edge association: %s", r.Summary)
		}
		found := false
		for _, h := range r.Forward {
			if h.Route != nil && h.Component != nil && h.Component.ID == res.PhysicalIDs["EdgeRouteTable"] && h.Route.Target == res.PhysicalIDs["Appliance"] {
				found = true
			}
		}
		if !found {
			t.Errorf("no hop shows the gateway route table's route to the appliance: %+v", r.Forward)
		}
	}
}
