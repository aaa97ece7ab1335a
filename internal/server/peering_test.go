package server_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// VPC peering through the API, and the analyzer following it: an
// instance in VPC A reaches one in VPC B over an active connection with
// routes on both sides; without the return route the analysis finds no
// path.
func TestVpcPeeringAPI(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	type side struct{ vpc, rtb, sg, instance string }
	mk := func(cidr, sub string) side {
		v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
		must(t, err)
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String(sub)})
		must(t, err)
		g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: v.Vpc.VpcId, GroupName: aws.String("app"), Description: aws.String("app")})
		must(t, err)
		r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			SubnetId: s.Subnet.SubnetId, SecurityGroupIds: []string{aws.ToString(g.GroupId)}})
		must(t, err)
		rts, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("vpc-id", aws.ToString(v.Vpc.VpcId))}})
		must(t, err)
		return side{aws.ToString(v.Vpc.VpcId), aws.ToString(rts.RouteTables[0].RouteTableId), aws.ToString(g.GroupId), aws.ToString(r.Instances[0].InstanceId)}
	}
	a, b := mk("10.0.0.0/16", "10.0.1.0/24"), mk("10.1.0.0/16", "10.1.1.0/24")
	c, err := e.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: &a.vpc, PeerVpcId: &b.vpc})
	must(t, err)
	pcx := aws.ToString(c.VpcPeeringConnection.VpcPeeringConnectionId)
	if c.VpcPeeringConnection.Status.Code != ec2types.VpcPeeringConnectionStateReasonCodeInitiatingRequest {
		t.Errorf("CreateVpcPeeringConnection status %s", c.VpcPeeringConnection.Status.Code)
	}
	// A cross-VPC group reference needs an active connection.
	perm := []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
		UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: &a.sg}}}}
	_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &b.sg, IpPermissions: perm})
	wantAPIError(t, err, "InvalidGroup.NotFound", "You have specified two resources that belong to different networks.")
	d, err := e.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{Filters: []ec2types.Filter{filter("status-code", "pending-acceptance")}})
	must(t, err)
	if len(d.VpcPeeringConnections) != 1 || aws.ToString(d.VpcPeeringConnections[0].AccepterVpcInfo.CidrBlock) != "10.1.0.0/16" {
		t.Fatalf("pending connections: %+v", d.VpcPeeringConnections)
	}
	acc, err := e.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &pcx})
	must(t, err)
	if acc.VpcPeeringConnection.Status.Code != ec2types.VpcPeeringConnectionStateReasonCodeActive {
		t.Errorf("accepted: %s", acc.VpcPeeringConnection.Status.Code)
	}
	_, err = e.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &pcx})
	wantAPIError(t, err, "InvalidStateTransition", "Invalid state transition for "+pcx+", attempted to transition from active to active")
	_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &b.sg, IpPermissions: perm})
	must(t, err)
	m, err := e.ModifyVpcPeeringConnectionOptions(ctx, &ec2.ModifyVpcPeeringConnectionOptionsInput{VpcPeeringConnectionId: &pcx,
		RequesterPeeringConnectionOptions: &ec2types.PeeringConnectionOptionsRequest{AllowDnsResolutionFromRemoteVpc: aws.Bool(true)}})
	must(t, err)
	if !aws.ToBool(m.RequesterPeeringConnectionOptions.AllowDnsResolutionFromRemoteVpc) {
		t.Error("requester DNS option not set")
	}
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &a.rtb, DestinationCidrBlock: aws.String("10.1.0.0/16"), VpcPeeringConnectionId: &pcx})
	must(t, err)
	rts, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("route.vpc-peering-connection-id", pcx)}})
	must(t, err)
	if len(rts.RouteTables) != 1 || aws.ToString(rts.RouteTables[0].RouteTableId) != a.rtb {
		t.Fatalf("route tables routing through %s: %+v", pcx, rts.RouteTables)
	}
	waitState(t, e, a.instance, ec2types.InstanceStateNameRunning)
	waitState(t, e, b.instance, ec2types.InstanceStateNameRunning)

	// Only one side routes: the reply has no way back. (Port 22: sshd
	// listens on the instances.)
	an := analyzePort(t, e, a.instance, b.instance, 22)
	if aws.ToBool(an.NetworkPathFound) {
		t.Errorf("a path was found without the return route; explanations %v", codes(an))
	}
	if !slices.Contains(codes(an), "NO_ROUTE_TO_DESTINATION") {
		t.Errorf("explanations %v, want NO_ROUTE_TO_DESTINATION", codes(an))
	}
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &b.rtb, DestinationCidrBlock: aws.String("10.0.0.0/16"), VpcPeeringConnectionId: &pcx})
	must(t, err)
	an = analyzePort(t, e, a.instance, b.instance, 22)
	if !aws.ToBool(an.NetworkPathFound) {
		t.Errorf("no path over the peering connection; explanations %v", codes(an))
	}
	crossed := false
	for _, pc := range an.ForwardPathComponents {
		crossed = crossed || (pc.Component != nil && aws.ToString(pc.Component.Id) == pcx)
	}
	if !crossed {
		t.Error("the forward path does not name the peering connection")
	}

	_, err = e.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: &pcx})
	must(t, err)
	rts, err = e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{a.rtb}})
	must(t, err)
	for _, r := range rts.RouteTables[0].Routes {
		if aws.ToString(r.VpcPeeringConnectionId) == pcx && r.State != ec2types.RouteStateBlackhole {
			t.Errorf("the route through a deleted connection is %s", r.State)
		}
	}
}

// An inter-Region VPC peering connection (PeerRegion) is recorded in both
// regions: pending acceptance in the accepter's region, where alone it can
// be accepted or rejected; each region keeps its own tags; accepting or
// deleting it in one region shows in the other. A route through it is
// active once accepted, and the analyzer stops at it (the peer VPC's state
// is another region's) instead of failing.
func TestVpcPeeringInterRegion(t *testing.T) {
	em := newEmulator(t, nil)
	east := sdkClients(em.URL).ec2
	west := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL); o.Region = "eu-west-1" })
	a, err := east.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	b, err := west.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	must(t, err)
	c, err := east.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: a.Vpc.VpcId, PeerVpcId: b.Vpc.VpcId,
		PeerRegion: aws.String("eu-west-1"), TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpcPeeringConnection,
			Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("requester-side")}}}}})
	must(t, err)
	pcx := aws.ToString(c.VpcPeeringConnection.VpcPeeringConnectionId)
	if r := aws.ToString(c.VpcPeeringConnection.AccepterVpcInfo.Region); r != "eu-west-1" {
		t.Errorf("accepter region %q", r)
	}
	describe := func(e *ec2.Client) ec2types.VpcPeeringConnection {
		t.Helper()
		d, err := e.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{pcx}})
		must(t, err)
		if len(d.VpcPeeringConnections) != 1 {
			t.Fatalf("%d connections", len(d.VpcPeeringConnections))
		}
		return d.VpcPeeringConnections[0]
	}
	w := describe(west)
	if w.Status.Code != ec2types.VpcPeeringConnectionStateReasonCodePendingAcceptance ||
		aws.ToString(w.RequesterVpcInfo.Region) != "us-east-1" || aws.ToString(w.AccepterVpcInfo.Region) != "eu-west-1" ||
		aws.ToString(w.AccepterVpcInfo.CidrBlock) != "10.1.0.0/16" || len(w.Tags) != 0 {
		t.Fatalf("in the accepter's region: %+v", w)
	}
	if e := describe(east); len(e.Tags) != 1 || aws.ToString(e.Tags[0].Value) != "requester-side" {
		t.Errorf("requester-side tags %+v", e.Tags)
	}
	_, err = east.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &pcx})
	wantAPIError(t, err, "OperationNotPermitted", "Incorrect region (us-east-1) specified for this request. VPC peering connection "+pcx+" must be accepted in region eu-west-1")
	_, err = east.RejectVpcPeeringConnection(ctx, &ec2.RejectVpcPeeringConnectionInput{VpcPeeringConnectionId: &pcx})
	wantAPIError(t, err, "OperationNotPermitted", "Incorrect region (us-east-1) specified for this request. VPC peering connection "+pcx+" must be accepted or rejected in region eu-west-1")
	acc, err := west.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &pcx})
	must(t, err)
	if acc.VpcPeeringConnection.Status.Code != ec2types.VpcPeeringConnectionStateReasonCodeActive {
		t.Errorf("accepted: %s", acc.VpcPeeringConnection.Status.Code)
	}
	if e := describe(east); e.Status.Code != ec2types.VpcPeeringConnectionStateReasonCodeActive || len(e.Tags) != 1 {
		t.Errorf("in the requester's region after acceptance: %s, tags %+v", e.Status.Code, e.Tags)
	}

	// A route through it, and the analyzer stopping at it.
	s, err := east.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: a.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24")})
	must(t, err)
	r, err := east.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: s.Subnet.SubnetId})
	must(t, err)
	inst := aws.ToString(r.Instances[0].InstanceId)
	rts, err := east.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("vpc-id", aws.ToString(a.Vpc.VpcId))}})
	must(t, err)
	rtb := rts.RouteTables[0].RouteTableId
	_, err = east.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rtb, DestinationCidrBlock: aws.String("10.1.0.0/16"), VpcPeeringConnectionId: &pcx})
	must(t, err)
	rts, err = east.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{aws.ToString(rtb)}})
	must(t, err)
	for _, rt := range rts.RouteTables[0].Routes {
		if aws.ToString(rt.VpcPeeringConnectionId) == pcx && rt.State != ec2types.RouteStateActive {
			t.Errorf("route through the accepted connection: %s", rt.State)
		}
	}
	waitState(t, east, inst, ec2types.InstanceStateNameRunning)
	p, err := east.CreateNetworkInsightsPath(ctx, &ec2.CreateNetworkInsightsPathInput{Source: &inst, DestinationIp: aws.String("10.1.0.10"),
		DestinationPort: aws.Int32(443), Protocol: ec2types.ProtocolTcp})
	must(t, err)
	st, err := east.StartNetworkInsightsAnalysis(ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: p.NetworkInsightsPath.NetworkInsightsPathId})
	must(t, err)
	var an ec2types.NetworkInsightsAnalysis
	eventually(t, "the analysis completes", func() bool {
		d, err := east.DescribeNetworkInsightsAnalyses(ctx, &ec2.DescribeNetworkInsightsAnalysesInput{
			NetworkInsightsAnalysisIds: []string{aws.ToString(st.NetworkInsightsAnalysis.NetworkInsightsAnalysisId)}})
		if err != nil || len(d.NetworkInsightsAnalyses) != 1 || d.NetworkInsightsAnalyses[0].Status == ec2types.AnalysisStatusRunning {
			return false
		}
		an = d.NetworkInsightsAnalyses[0]
		return true
	})
	if an.Status != ec2types.AnalysisStatusSucceeded || aws.ToBool(an.NetworkPathFound) {
		t.Errorf("analysis %s (%s), path found %v", an.Status, aws.ToString(an.StatusMessage), aws.ToBool(an.NetworkPathFound))
	}
	if !slices.Contains(codes(an), "UNSUPPORTED_COMPONENT") {
		t.Errorf("explanations %v, want UNSUPPORTED_COMPONENT at the connection", codes(an))
	}

	// Deleted from the accepter's side: deleted in both.
	_, err = west.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: &pcx})
	must(t, err)
	if e := describe(east); e.Status.Code != ec2types.VpcPeeringConnectionStateReasonCodeDeleted {
		t.Errorf("in the requester's region after deletion: %s", e.Status.Code)
	}
	// A peer VPC the other region does not hold: the request fails.
	f, err := east.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: a.Vpc.VpcId, PeerVpcId: b.Vpc.VpcId, PeerRegion: aws.String("eu-west-2")})
	must(t, err)
	if got := describe2(t, east, aws.ToString(f.VpcPeeringConnection.VpcPeeringConnectionId)); got != ec2types.VpcPeeringConnectionStateReasonCodeFailed {
		t.Errorf("peering with a VPC the peer region lacks: %s, want failed", got)
	}
}

func describe2(t *testing.T, e *ec2.Client, pcx string) ec2types.VpcPeeringConnectionStateReasonCode {
	t.Helper()
	d, err := e.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{pcx}})
	must(t, err)
	return d.VpcPeeringConnections[0].Status.Code
}
