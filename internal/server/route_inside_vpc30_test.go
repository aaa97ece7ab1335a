package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// TestRouteInsideVPCTargets30: a route whose destination is the VPC's CIDR
// block or a subnet of it (more specific than the local route) takes a
// network interface or instance (a middlebox), not an internet gateway or a
// peering connection: AWS answers InvalidParameterValue "Route target is not
// supported. This route only supports interface and instance targets." to
// CreateRoute and to ReplaceRoute of the local route (hashicorp/terraform
// #26018, terraform-provider-aws#13896). moto's test_route_tables.py routes
// 10.0.0.4/24 of a 10.0.0.0/16 VPC to a gateway and to a peering
// connection.
func TestRouteInsideVPCTargets30(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpcID := vpc.Vpc.VpcId
	peer, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	must(t, err)
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpcID, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	igw, err := c.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)
	_, err = c.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{VpcId: vpcID, InternetGatewayId: igw.InternetGateway.InternetGatewayId})
	must(t, err)
	pcx, err := c.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: vpcID, PeerVpcId: peer.Vpc.VpcId})
	must(t, err)
	_, err = c.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: pcx.VpcPeeringConnection.VpcPeeringConnectionId})
	must(t, err)
	eni, err := c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: sub.Subnet.SubnetId})
	must(t, err)
	rt, err := c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpcID})
	must(t, err)
	rtID := rt.RouteTable.RouteTableId
	const refused = "Route target is not supported. This route only supports interface and instance targets."

	_, err = c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rtID, DestinationCidrBlock: aws.String("10.0.1.0/24"), GatewayId: igw.InternetGateway.InternetGatewayId})
	apiErrorIs(t, "subnet route to the internet gateway", err, "InvalidParameterValue", refused)
	_, err = c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rtID, DestinationCidrBlock: aws.String("10.0.0.0/16"),
		VpcPeeringConnectionId: pcx.VpcPeeringConnection.VpcPeeringConnectionId})
	apiErrorIs(t, "the VPC's CIDR to the peering connection", err, "InvalidParameterValue", refused)
	_, err = c.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: rtID, DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: igw.InternetGateway.InternetGatewayId})
	apiErrorIs(t, "local route to the internet gateway", err, "InvalidParameterValue", refused)

	// A middlebox takes a subnet's traffic, and the local route's; the
	// peering connection and the gateway take what lies outside the VPC.
	_, err = c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rtID, DestinationCidrBlock: aws.String("10.0.1.0/24"), NetworkInterfaceId: eni.NetworkInterface.NetworkInterfaceId})
	must(t, err)
	_, err = c.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: rtID, DestinationCidrBlock: aws.String("10.0.0.0/16"), NetworkInterfaceId: eni.NetworkInterface.NetworkInterfaceId})
	must(t, err)
	_, err = c.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: rtID, DestinationCidrBlock: aws.String("10.0.0.0/16"), LocalTarget: aws.Bool(true)})
	must(t, err)
	_, err = c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rtID, DestinationCidrBlock: aws.String("10.1.0.0/16"),
		VpcPeeringConnectionId: pcx.VpcPeeringConnection.VpcPeeringConnectionId})
	must(t, err)
	_, err = c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rtID, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: igw.InternetGateway.InternetGatewayId})
	must(t, err)
	out, err := c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{aws.ToString(rtID)}})
	must(t, err)
	targets := map[string]string{}
	for _, r := range out.RouteTables[0].Routes {
		targets[aws.ToString(r.DestinationCidrBlock)] = aws.ToString(r.GatewayId) + aws.ToString(r.NetworkInterfaceId) + aws.ToString(r.VpcPeeringConnectionId)
	}
	want := map[string]string{"10.0.0.0/16": "local", "10.0.1.0/24": aws.ToString(eni.NetworkInterface.NetworkInterfaceId),
		"10.1.0.0/16": aws.ToString(pcx.VpcPeeringConnection.VpcPeeringConnectionId), "0.0.0.0/0": aws.ToString(igw.InternetGateway.InternetGatewayId)}
	for d, w := range want {
		if targets[d] != w {
			t.Errorf("route %s: target %q, want %q", d, targets[d], w)
		}
	}
}
