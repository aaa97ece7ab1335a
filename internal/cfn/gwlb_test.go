package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// gwlbTemplate is an inspection VPC: an app instance whose subnet routes
// 0.0.0.0/0 to a Gateway Load Balancer endpoint, the endpoint service on a
// Gateway Load Balancer, its GENEVE target group (health check TCP 22)
// with one appliance instance, and the listener; the internet gateway's
// route table (an edge association) sends the app subnet's range back
// through the endpoint, so the appliance sees both directions.
const gwlbTemplate = `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a, MapPublicIpOnLaunch: true}
  EndpointSubnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: us-east-1a}
  ApplianceSubnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.3.0/24, AvailabilityZone: us-east-1a}
  PublicTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  PublicDefault:
    Type: AWS::EC2::Route
    DependsOn: Attach
    Properties: {RouteTableId: !Ref PublicTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}
  EndpointSubnetTable:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref EndpointSubnet, RouteTableId: !Ref PublicTable}
  ApplianceSubnetTable:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref ApplianceSubnet, RouteTableId: !Ref PublicTable}
  AppTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  AppSubnetTable:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref AppSubnet, RouteTableId: !Ref AppTable}
  AppDefault:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref AppTable, DestinationCidrBlock: 0.0.0.0/0, VpcEndpointId: !Ref Endpoint}
  EdgeTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  EdgeAssociation:
    Type: AWS::EC2::GatewayRouteTableAssociation
    DependsOn: Attach
    Properties: {RouteTableId: !Ref EdgeTable, GatewayId: !Ref Igw}
  EdgeToApp:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref EdgeTable, DestinationCidrBlock: 10.0.1.0/24, VpcEndpointId: !Ref Endpoint}
  ApplianceGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      VpcId: !Ref Vpc
      GroupDescription: appliances
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref HealthCheckFrom}
        - {IpProtocol: udp, FromPort: 6081, ToPort: 6081, CidrIp: 10.0.3.0/24}
  Appliance:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      InstanceType: c5.large
      SubnetId: !Ref ApplianceSubnet
      SecurityGroupIds: [!Ref ApplianceGroup]
      Tags: [{Key: Name, Value: fw}]
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      InstanceType: t3.micro
      SubnetId: !Ref AppSubnet
      Tags: [{Key: Name, Value: app}]
  Gwlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Name: inspection
      Type: gateway
      Subnets: [!Ref ApplianceSubnet]
      LoadBalancerAttributes: [{Key: load_balancing.cross_zone.enabled, Value: "true"}]
  Appliances:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Name: fw
      Protocol: GENEVE
      Port: 6081
      VpcId: !Ref Vpc
      HealthCheckProtocol: TCP
      HealthCheckPort: "22"
      Targets: [{Id: !Ref Appliance}]
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Gwlb
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Appliances}]
  Service:
    Type: AWS::EC2::VPCEndpointService
    Properties:
      GatewayLoadBalancerArns: [!Ref Gwlb]
      AcceptanceRequired: false
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      VpcEndpointType: GatewayLoadBalancer
      ServiceName: !Sub com.amazonaws.vpce.${AWS::Region}.${Service}
      SubnetIds: [!Ref EndpointSubnet]
Parameters:
  HealthCheckFrom: {Type: String, Default: 10.0.0.0/16}
`

// A CloudFormation stack with a Gateway Load Balancer, its GENEVE target
// group and listener, an endpoint service and a GatewayLoadBalancer
// endpoint, and a route to the endpoint: every resource is created, and the
// analyzer sends the app's traffic through the appliance; with the
// appliance's health check blocked, the packet stops at the GWLB.
func TestGatewayLoadBalancerStack(t *testing.T) {
	res := loadText(t, "gwlb.yaml", gwlbTemplate, nil)
	for _, s := range res.Skipped {
		t.Errorf("skipped %s: %s", s.LogicalID, s.Reason)
	}
	res.Engine.Read(func(st *model.State) {
		lb := st.LoadBalancers[res.PhysicalIDs["Gwlb"]]
		if lb == nil || lb.Type != "gateway" || lb.Scheme != "" || !strings.Contains(lb.ARN, ":loadbalancer/gwy/inspection/") || !lb.CrossZone {
			t.Errorf("GWLB %+v", lb)
		}
		tg := st.TargetGroups[res.PhysicalIDs["Appliances"]]
		if tg == nil || tg.Protocol != "GENEVE" || tg.Port != 6081 || tg.HealthCheck.Port != "22" {
			t.Errorf("target group %+v", tg)
		}
		ep := st.VpcEndpoints[model.VpcEndpointID(res.PhysicalIDs["Endpoint"])]
		if ep == nil || ep.Type != "GatewayLoadBalancer" || ep.State != "available" || len(ep.NetworkInterfaces) != 1 {
			t.Errorf("endpoint %+v", ep)
		}
	})
	probe := func(res2 string) *reach.Result {
		st, _ := res.Engine.Snapshot()
		if res2 != "" {
			st, _ = loadText(t, "gwlb.yaml", gwlbTemplate, map[string]string{"HealthCheckFrom": res2}).Engine.Snapshot()
		}
		n := reach.Compile(st)
		q, err := reach.NewQuery(n, "app", "198.51.100.10:443", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return reach.Probe(n, q)
	}
	r := probe("")
	if r.Verdict != reach.Connected || !hasCode(r, reach.CodeGWLBInspected) {
		t.Errorf("through the appliance: %s %s", r.Verdict, r.Summary)
	}
	r = probe("192.0.2.0/24")
	if r.Verdict != reach.Timeout || !hasCode(r, reach.CodeGWLBNoHealthyTargets) {
		t.Errorf("no healthy appliance: %s %s", r.Verdict, r.Summary)
	}

	// Through a snapshot (describe-* files, with the endpoint service
	// configurations) the verdict is the same.
	st, _ := res.Engine.Snapshot()
	dir := t.TempDir()
	if err := snapshot.Write(dir, st); err != nil {
		t.Fatal(err)
	}
	loaded, err := snapshot.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := loaded.Engine.Snapshot()
	n := reach.Compile(back)
	q, err := reach.NewQuery(n, "app", "198.51.100.10:443", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if r := reach.Probe(n, q); r.Verdict != reach.Connected || !hasCode(r, reach.CodeGWLBInspected) {
		t.Errorf("from the snapshot: %s %s", r.Verdict, r.Summary)
	}
}

func hasCode(r *reach.Result, code string) bool {
	for _, e := range r.Explanations {
		if e.Code == code {
			return true
		}
	}
	return false
}
