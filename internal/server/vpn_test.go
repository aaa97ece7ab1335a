package server_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// Site-to-Site VPN through the AWS SDK for Go v2: a virtual private
// gateway attached to a VPC, a customer gateway, a static VPN connection
// with a route, propagation into a route table, a static route to the
// gateway, and the analyzer sending an instance's packet to the
// on-premises network through the gateway.
func TestSiteToSiteVPNAPI(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpc := aws.ToString(v.Vpc.VpcId)

	g, err := e.CreateVpnGateway(ctx, &ec2.CreateVpnGatewayInput{Type: ec2types.GatewayTypeIpsec1})
	must(t, err)
	vgw := aws.ToString(g.VpnGateway.VpnGatewayId)
	if !strings.HasPrefix(vgw, "vgw-") || g.VpnGateway.State != ec2types.VpnStateAvailable || aws.ToInt64(g.VpnGateway.AmazonSideAsn) != 64512 {
		t.Errorf("CreateVpnGateway: %s %s asn %d", vgw, g.VpnGateway.State, aws.ToInt64(g.VpnGateway.AmazonSideAsn))
	}
	_, err = e.CreateVpnGateway(ctx, &ec2.CreateVpnGatewayInput{Type: ec2types.GatewayTypeIpsec1, AmazonSideAsn: aws.Int64(65535)})
	if err == nil {
		t.Error("an AmazonSideAsn outside the private ranges was accepted")
	}
	a, err := e.AttachVpnGateway(ctx, &ec2.AttachVpnGatewayInput{VpnGatewayId: &vgw, VpcId: &vpc})
	must(t, err)
	if a.VpcAttachment.State != ec2types.AttachmentStatusAttaching {
		t.Errorf("AttachVpnGateway answered %s", a.VpcAttachment.State)
	}
	d, err := e.DescribeVpnGateways(ctx, &ec2.DescribeVpnGatewaysInput{Filters: []ec2types.Filter{filter("attachment.vpc-id", vpc)}})
	must(t, err)
	if len(d.VpnGateways) != 1 || d.VpnGateways[0].State != ec2types.VpnStateAvailable ||
		len(d.VpnGateways[0].VpcAttachments) != 1 || d.VpnGateways[0].VpcAttachments[0].State != ec2types.AttachmentStatusAttached {
		t.Fatalf("DescribeVpnGateways: %+v", d.VpnGateways)
	}
	// One virtual private gateway per VPC.
	g2, err := e.CreateVpnGateway(ctx, &ec2.CreateVpnGatewayInput{Type: ec2types.GatewayTypeIpsec1})
	must(t, err)
	_, err = e.AttachVpnGateway(ctx, &ec2.AttachVpnGatewayInput{VpnGatewayId: g2.VpnGateway.VpnGatewayId, VpcId: &vpc})
	wantCode(t, err, "VpnGatewayAttachmentLimitExceeded")
	_, err = e.AttachVpnGateway(ctx, &ec2.AttachVpnGatewayInput{VpnGatewayId: aws.String("vgw-0123456789abcdef0"), VpcId: &vpc})
	wantAPIError(t, err, "InvalidVpnGatewayID.NotFound", "The virtual private gateway ID 'vgw-0123456789abcdef0' does not exist")

	cg, err := e.CreateCustomerGateway(ctx, &ec2.CreateCustomerGatewayInput{Type: ec2types.GatewayTypeIpsec1, IpAddress: aws.String("198.51.100.7")})
	must(t, err)
	cgw := aws.ToString(cg.CustomerGateway.CustomerGatewayId)
	if aws.ToString(cg.CustomerGateway.BgpAsn) != "65000" || aws.ToString(cg.CustomerGateway.IpAddress) != "198.51.100.7" {
		t.Errorf("CreateCustomerGateway: %+v", cg.CustomerGateway)
	}
	again, err := e.CreateCustomerGateway(ctx, &ec2.CreateCustomerGatewayInput{Type: ec2types.GatewayTypeIpsec1, IpAddress: aws.String("198.51.100.7")})
	must(t, err)
	if aws.ToString(again.CustomerGateway.CustomerGatewayId) != cgw {
		t.Errorf("an identical CreateCustomerGateway made %s, want the existing %s", aws.ToString(again.CustomerGateway.CustomerGatewayId), cgw)
	}

	vc, err := e.CreateVpnConnection(ctx, &ec2.CreateVpnConnectionInput{Type: aws.String("ipsec.1"), CustomerGatewayId: &cgw, VpnGatewayId: &vgw,
		Options: &ec2types.VpnConnectionOptionsSpecification{StaticRoutesOnly: aws.Bool(true),
			TunnelOptions: []ec2types.VpnTunnelOptionsSpecification{{TunnelInsideCidr: aws.String("169.254.10.0/30"), PreSharedKey: aws.String("my_secret.key1")}}}})
	must(t, err)
	vpn := aws.ToString(vc.VpnConnection.VpnConnectionId)
	if vc.VpnConnection.State != ec2types.VpnStatePending || len(vc.VpnConnection.VgwTelemetry) != 2 || len(vc.VpnConnection.Options.TunnelOptions) != 2 {
		t.Fatalf("CreateVpnConnection: %+v", vc.VpnConnection)
	}
	if to := vc.VpnConnection.Options.TunnelOptions[0]; aws.ToString(to.TunnelInsideCidr) != "169.254.10.0/30" || aws.ToString(to.PreSharedKey) != "my_secret.key1" ||
		aws.ToString(to.OutsideIpAddress) == "" {
		t.Errorf("first tunnel: %+v", to)
	}
	if cfg := aws.ToString(vc.VpnConnection.CustomerGatewayConfiguration); !strings.Contains(cfg, "<pre_shared_key>my_secret.key1</pre_shared_key>") ||
		!strings.Contains(cfg, "<ip_address>198.51.100.7</ip_address>") {
		t.Errorf("CustomerGatewayConfiguration lacks the key or the customer address:\n%s", cfg)
	}
	_, err = e.CreateVpnConnectionRoute(ctx, &ec2.CreateVpnConnectionRouteInput{VpnConnectionId: &vpn, DestinationCidrBlock: aws.String("192.168.0.0/16")})
	must(t, err)
	_, err = e.DeleteCustomerGateway(ctx, &ec2.DeleteCustomerGatewayInput{CustomerGatewayId: &cgw})
	wantCode(t, err, "IncorrectState")

	// A subnet and an instance; its route table gets the propagated route.
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.1.0/24")})
	must(t, err)
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: s.Subnet.SubnetId})
	must(t, err)
	inst := aws.ToString(r.Instances[0].InstanceId)
	rts, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("vpc-id", vpc)}})
	must(t, err)
	rtb := aws.ToString(rts.RouteTables[0].RouteTableId)
	_, err = e.EnableVgwRoutePropagation(ctx, &ec2.EnableVgwRoutePropagationInput{RouteTableId: &rtb, GatewayId: g2.VpnGateway.VpnGatewayId})
	wantCode(t, err, "Gateway.NotAttached")
	_, err = e.EnableVgwRoutePropagation(ctx, &ec2.EnableVgwRoutePropagationInput{RouteTableId: &rtb, GatewayId: &vgw})
	must(t, err)
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &rtb, DestinationCidrBlock: aws.String("172.16.0.0/12"), GatewayId: &vgw})
	must(t, err)
	rts, err = e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{rtb}})
	must(t, err)
	rt := rts.RouteTables[0]
	if len(rt.PropagatingVgws) != 1 || aws.ToString(rt.PropagatingVgws[0].GatewayId) != vgw {
		t.Errorf("PropagatingVgws %+v", rt.PropagatingVgws)
	}
	origins := map[string]string{}
	for _, x := range rt.Routes {
		if aws.ToString(x.GatewayId) == vgw && x.State == ec2types.RouteStateActive {
			origins[aws.ToString(x.DestinationCidrBlock)] = string(x.Origin)
		}
	}
	if origins["192.168.0.0/16"] != "EnableVgwRoutePropagation" || origins["172.16.0.0/12"] != "CreateRoute" {
		t.Errorf("routes to %s: %v", vgw, origins)
	}
	f, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("route.gateway-id", vgw)}})
	must(t, err)
	if len(f.RouteTables) != 1 {
		t.Errorf("route.gateway-id %s matched %d tables", vgw, len(f.RouteTables))
	}

	// The analyzer: the instance's packet to an on-premises address leaves
	// through the virtual private gateway, by the propagated route.
	waitState(t, e, inst, ec2types.InstanceStateNameRunning)
	p, err := e.CreateNetworkInsightsPath(ctx, &ec2.CreateNetworkInsightsPathInput{Source: &inst, DestinationIp: aws.String("192.168.4.20"),
		DestinationPort: aws.Int32(443), Protocol: ec2types.ProtocolTcp})
	must(t, err)
	an := analyzePath(t, e, aws.ToString(p.NetworkInsightsPath.NetworkInsightsPathId))
	if !aws.ToBool(an.NetworkPathFound) {
		t.Fatalf("no path to the on-premises network; explanations %v", codes(an))
	}
	var viaVgw, byRoute bool
	for _, pc := range an.ForwardPathComponents {
		if pc.Component != nil && aws.ToString(pc.Component.Id) == vgw {
			viaVgw = true
		}
		if pc.RouteTableRoute != nil && aws.ToString(pc.RouteTableRoute.GatewayId) == vgw && aws.ToString(pc.RouteTableRoute.DestinationCidr) == "192.168.0.0/16" {
			byRoute = true
		}
	}
	if !viaVgw || !byRoute {
		t.Errorf("forward path: through %s %v, by the propagated route %v", vgw, viaVgw, byRoute)
	}

	// Deleting in AWS's order; deleted resources stay visible.
	_, err = e.DeleteVpnGateway(ctx, &ec2.DeleteVpnGatewayInput{VpnGatewayId: &vgw})
	wantCode(t, err, "IncorrectState")
	_, err = e.DeleteVpnConnection(ctx, &ec2.DeleteVpnConnectionInput{VpnConnectionId: &vpn})
	must(t, err)
	dc, err := e.DescribeVpnConnections(ctx, &ec2.DescribeVpnConnectionsInput{VpnConnectionIds: []string{vpn}})
	must(t, err)
	if len(dc.VpnConnections) != 1 || dc.VpnConnections[0].State != ec2types.VpnStateDeleted {
		t.Errorf("deleted connection: %+v", dc.VpnConnections)
	}
	_, err = e.DetachVpnGateway(ctx, &ec2.DetachVpnGatewayInput{VpnGatewayId: &vgw, VpcId: &vpc})
	must(t, err)
	rts, err = e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{rtb}})
	must(t, err)
	for _, x := range rts.RouteTables[0].Routes {
		if aws.ToString(x.GatewayId) == vgw && x.State != ec2types.RouteStateBlackhole {
			t.Errorf("a route to the detached gateway is %s", x.State)
		}
	}
	_, err = e.DeleteVpnGateway(ctx, &ec2.DeleteVpnGatewayInput{VpnGatewayId: &vgw})
	must(t, err)
	d, err = e.DescribeVpnGateways(ctx, &ec2.DescribeVpnGatewaysInput{VpnGatewayIds: []string{vgw}})
	must(t, err)
	if len(d.VpnGateways) != 1 || d.VpnGateways[0].State != ec2types.VpnStateDeleted {
		t.Errorf("deleted gateway: %+v", d.VpnGateways)
	}
}

// Gateway route tables (edge associations) through the SDK.
func TestGatewayRouteTableAssociation(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpc := aws.ToString(v.Vpc.VpcId)
	rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &vpc})
	must(t, err)
	rtb := aws.ToString(rt.RouteTable.RouteTableId)
	rt2, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &vpc})
	must(t, err)
	ig, err := e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)
	igw := aws.ToString(ig.InternetGateway.InternetGatewayId)
	_, err = e.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &rtb, GatewayId: &igw})
	wantAPIError(t, err, "InvalidParameterValue", "route table "+rtb+" and network gateway "+igw+" belong to different networks")
	_, err = e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpc})
	must(t, err)
	as, err := e.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &rtb, GatewayId: &igw})
	must(t, err)
	assoc := aws.ToString(as.AssociationId)
	_, err = e.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: rt2.RouteTable.RouteTableId, GatewayId: &igw})
	wantCode(t, err, "Resource.AlreadyAssociated")
	d, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("association.gateway-id", igw)}})
	must(t, err)
	if len(d.RouteTables) != 1 || aws.ToString(d.RouteTables[0].RouteTableId) != rtb {
		t.Fatalf("association.gateway-id: %+v", d.RouteTables)
	}
	a := d.RouteTables[0].Associations
	if len(a) != 1 || aws.ToString(a[0].GatewayId) != igw || a[0].SubnetId != nil || aws.ToBool(a[0].Main) || aws.ToString(a[0].RouteTableAssociationId) != assoc {
		t.Errorf("association: %+v", a)
	}
	rp, err := e.ReplaceRouteTableAssociation(ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: &assoc, RouteTableId: rt2.RouteTable.RouteTableId})
	must(t, err)
	d, err = e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("association.gateway-id", igw)}})
	must(t, err)
	if len(d.RouteTables) != 1 || aws.ToString(d.RouteTables[0].RouteTableId) != aws.ToString(rt2.RouteTable.RouteTableId) {
		t.Fatalf("after ReplaceRouteTableAssociation: %+v", d.RouteTables)
	}
	_, err = e.DeleteRouteTable(ctx, &ec2.DeleteRouteTableInput{RouteTableId: rt2.RouteTable.RouteTableId})
	wantCode(t, err, "DependencyViolation")
	_, err = e.DisassociateRouteTable(ctx, &ec2.DisassociateRouteTableInput{AssociationId: rp.NewAssociationId})
	must(t, err)
	d, err = e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("association.gateway-id", igw)}})
	must(t, err)
	if len(d.RouteTables) != 0 {
		t.Errorf("still associated: %+v", d.RouteTables)
	}
	// A virtual private gateway takes one too, once attached.
	g, err := e.CreateVpnGateway(ctx, &ec2.CreateVpnGatewayInput{Type: ec2types.GatewayTypeIpsec1})
	must(t, err)
	_, err = e.AttachVpnGateway(ctx, &ec2.AttachVpnGatewayInput{VpnGatewayId: g.VpnGateway.VpnGatewayId, VpcId: &vpc})
	must(t, err)
	_, err = e.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &rtb, GatewayId: g.VpnGateway.VpnGatewayId})
	must(t, err)
	d, err = e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{rtb}})
	must(t, err)
	if !slices.ContainsFunc(d.RouteTables[0].Associations, func(x ec2types.RouteTableAssociation) bool {
		return aws.ToString(x.GatewayId) == aws.ToString(g.VpnGateway.VpnGatewayId)
	}) {
		t.Errorf("no association with the virtual private gateway: %+v", d.RouteTables[0].Associations)
	}
	_, err = e.DetachVpnGateway(ctx, &ec2.DetachVpnGatewayInput{VpnGatewayId: g.VpnGateway.VpnGatewayId, VpcId: &vpc})
	wantCode(t, err, "DependencyViolation")
}

// wantCode fails unless err is an AWS error with the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("got %v, want an %s error", err, code)
	}
}

// analyzePath runs a Network Insights analysis of a path and waits for it.
func analyzePath(t *testing.T, e *ec2.Client, path string) ec2types.NetworkInsightsAnalysis {
	t.Helper()
	s, err := e.StartNetworkInsightsAnalysis(ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: &path})
	must(t, err)
	var out ec2types.NetworkInsightsAnalysis
	eventually(t, "the analysis completes", func() bool {
		d, err := e.DescribeNetworkInsightsAnalyses(ctx, &ec2.DescribeNetworkInsightsAnalysesInput{
			NetworkInsightsAnalysisIds: []string{aws.ToString(s.NetworkInsightsAnalysis.NetworkInsightsAnalysisId)}})
		if err != nil || len(d.NetworkInsightsAnalyses) != 1 || d.NetworkInsightsAnalyses[0].Status == ec2types.AnalysisStatusRunning {
			return false
		}
		out = d.NetworkInsightsAnalyses[0]
		return true
	})
	if out.Status != ec2types.AnalysisStatusSucceeded {
		t.Fatalf("analysis %s: %s", out.Status, aws.ToString(out.StatusMessage))
	}
	return out
}

// A route to a gateway is a blackhole once the gateway leaves the table's
// VPC, even when it is attached to another VPC: DescribeRouteTables and
// its route.state filter, for an internet gateway and a virtual private
// gateway moved from one VPC to another.
func TestRouteToGatewayMovedToAnotherVPC(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	var vpcs, tables [2]string
	for i, cidr := range []string{"10.0.0.0/16", "10.1.0.0/16"} {
		v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
		must(t, err)
		vpcs[i] = aws.ToString(v.Vpc.VpcId)
		rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: v.Vpc.VpcId})
		must(t, err)
		tables[i] = aws.ToString(rt.RouteTable.RouteTableId)
	}
	ig, err := e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)
	igw := aws.ToString(ig.InternetGateway.InternetGatewayId)
	vg, err := e.CreateVpnGateway(ctx, &ec2.CreateVpnGatewayInput{Type: ec2types.GatewayTypeIpsec1})
	must(t, err)
	vgw := aws.ToString(vg.VpnGateway.VpnGatewayId)
	attach := func(vpc string) {
		t.Helper()
		_, err := e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpc})
		must(t, err)
		_, err = e.AttachVpnGateway(ctx, &ec2.AttachVpnGatewayInput{VpnGatewayId: &vgw, VpcId: &vpc})
		must(t, err)
	}
	states := func(table string) map[string]string {
		t.Helper()
		d, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{table}})
		must(t, err)
		out := map[string]string{}
		for _, r := range d.RouteTables[0].Routes {
			out[aws.ToString(r.DestinationCidrBlock)] = string(r.State)
		}
		return out
	}
	attach(vpcs[0])
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &tables[0], DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw})
	must(t, err)
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &tables[0], DestinationCidrBlock: aws.String("192.168.0.0/16"), GatewayId: &vgw})
	must(t, err)
	if got := states(tables[0]); got["0.0.0.0/0"] != "active" || got["192.168.0.0/16"] != "active" {
		t.Fatalf("attached: %v", got)
	}
	_, err = e.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpcs[0]})
	must(t, err)
	_, err = e.DetachVpnGateway(ctx, &ec2.DetachVpnGatewayInput{VpnGatewayId: &vgw, VpcId: &vpcs[0]})
	must(t, err)
	attach(vpcs[1])
	if got := states(tables[0]); got["0.0.0.0/0"] != "blackhole" || got["192.168.0.0/16"] != "blackhole" {
		t.Errorf("after moving both gateways to %s, %s's routes: %v", vpcs[1], tables[0], got)
	}
	f, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("route.state", "blackhole")}})
	must(t, err)
	if len(f.RouteTables) != 1 || aws.ToString(f.RouteTables[0].RouteTableId) != tables[0] {
		t.Errorf("route.state=blackhole found %d tables", len(f.RouteTables))
	}
}

// A VPN tunnel's outside address is taken while the connection exists: an
// Elastic IP cannot be allocated on it, and deleting the connection frees
// it.
func TestVPNTunnelAddressIsTaken(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	g, err := e.CreateVpnGateway(ctx, &ec2.CreateVpnGatewayInput{Type: ec2types.GatewayTypeIpsec1})
	must(t, err)
	cg, err := e.CreateCustomerGateway(ctx, &ec2.CreateCustomerGatewayInput{Type: ec2types.GatewayTypeIpsec1, IpAddress: aws.String("198.51.100.9")})
	must(t, err)
	vc, err := e.CreateVpnConnection(ctx, &ec2.CreateVpnConnectionInput{Type: aws.String("ipsec.1"), CustomerGatewayId: cg.CustomerGateway.CustomerGatewayId,
		VpnGatewayId: g.VpnGateway.VpnGatewayId, Options: &ec2types.VpnConnectionOptionsSpecification{StaticRoutesOnly: aws.Bool(true)}})
	must(t, err)
	d, err := e.DescribeVpnConnections(ctx, &ec2.DescribeVpnConnectionsInput{VpnConnectionIds: []string{aws.ToString(vc.VpnConnection.VpnConnectionId)}})
	must(t, err)
	tunnels := d.VpnConnections[0].VgwTelemetry
	if len(tunnels) != 2 || aws.ToString(tunnels[0].OutsideIpAddress) == aws.ToString(tunnels[1].OutsideIpAddress) {
		t.Fatalf("tunnels: %+v", tunnels)
	}
	ip := aws.ToString(tunnels[0].OutsideIpAddress)
	_, err = e.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc, Address: &ip})
	wantCode(t, err, "InvalidIPAddress.InUse")
	_, err = e.DeleteVpnConnection(ctx, &ec2.DeleteVpnConnectionInput{VpnConnectionId: vc.VpnConnection.VpnConnectionId})
	must(t, err)
	_, err = e.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc, Address: &ip})
	must(t, err)
}
