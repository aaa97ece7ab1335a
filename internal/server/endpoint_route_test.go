package server_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// A route's VpcEndpointId must be a Gateway Load Balancer endpoint that is
// available: a gateway endpoint (S3), or a GWLB endpoint still waiting for
// acceptance, is RouteNotSupported, as AWS answers (the message tools retry
// on while a new GWLB endpoint comes up); once accepted, the route is made.
func TestRouteToVpcEndpointTarget(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	e := c.ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpc := v.Vpc.VpcId
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc})
	must(t, err)
	table := rt.RouteTable.RouteTableId
	route := func(id string) error {
		_, err := e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: table, DestinationCidrBlock: aws.String("0.0.0.0/0"), VpcEndpointId: aws.String(id)})
		return err
	}
	notSupported := func(id string) string {
		return fmt.Sprintf("Route table contains unsupported route target: %s. VPC Endpoints of this type cannot be used as route targets.", id)
	}

	s3, err := e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc, ServiceName: aws.String("com.amazonaws.us-east-1.s3"), RouteTableIds: []string{aws.ToString(table)}})
	must(t, err)
	s3ID := aws.ToString(s3.VpcEndpoint.VpcEndpointId)
	wantAPIError(t, route(s3ID), "RouteNotSupported", notSupported(s3ID))

	lb, err := c.elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("gw"), Type: elbtypes.LoadBalancerTypeEnumGateway,
		Subnets: []string{aws.ToString(s.Subnet.SubnetId)}})
	must(t, err)
	svc, err := e.CreateVpcEndpointServiceConfiguration(ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
		GatewayLoadBalancerArns: []string{aws.ToString(lb.LoadBalancers[0].LoadBalancerArn)}})
	must(t, err)
	ep, err := e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc, ServiceName: svc.ServiceConfiguration.ServiceName,
		VpcEndpointType: ec2types.VpcEndpointTypeGatewayLoadBalancer, SubnetIds: []string{aws.ToString(s.Subnet.SubnetId)}})
	must(t, err)
	gwlbe := aws.ToString(ep.VpcEndpoint.VpcEndpointId)
	wantAPIError(t, route(gwlbe), "RouteNotSupported", notSupported(gwlbe))

	_, err = e.AcceptVpcEndpointConnections(ctx, &ec2.AcceptVpcEndpointConnectionsInput{ServiceId: svc.ServiceConfiguration.ServiceId, VpcEndpointIds: []string{gwlbe}})
	must(t, err)
	must(t, route(gwlbe))
	d, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{aws.ToString(table)}})
	must(t, err)
	found := false
	for _, r := range d.RouteTables[0].Routes {
		found = found || aws.ToString(r.DestinationCidrBlock) == "0.0.0.0/0" && aws.ToString(r.GatewayId) == gwlbe
	}
	if !found {
		t.Errorf("no route to %s: %+v", gwlbe, d.RouteTables[0].Routes)
	}
}

// Subnets are for interface and GWLB endpoints, route tables for gateway
// endpoints: EC2 refuses the other with InvalidParameter, before it checks
// the service's endpoint types (observed: a Gateway endpoint of Secrets
// Manager given subnets got the subnet message).
func TestVpcEndpointSubnetsAndRouteTablesByType(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpc := v.Vpc.VpcId
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc})
	must(t, err)
	sub, table := aws.ToString(s.Subnet.SubnetId), aws.ToString(rt.RouteTable.RouteTableId)
	subnetsMsg := "Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints."
	_, err = e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc, ServiceName: aws.String("com.amazonaws.us-east-1.s3"),
		VpcEndpointType: ec2types.VpcEndpointTypeGateway, SubnetIds: []string{sub}, RouteTableIds: []string{table}})
	wantAPIError(t, err, "InvalidParameter", subnetsMsg)
	_, err = e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc, ServiceName: aws.String("com.amazonaws.us-east-1.secretsmanager"),
		SubnetIds: []string{sub}})
	wantAPIError(t, err, "InvalidParameter", subnetsMsg)
	_, err = e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc, ServiceName: aws.String("com.amazonaws.us-east-1.ecs"),
		VpcEndpointType: ec2types.VpcEndpointTypeInterface, SubnetIds: []string{sub}, RouteTableIds: []string{table}})
	wantAPIError(t, err, "InvalidParameter", "Route table IDs are only supported for Gateway type VPC Endpoint.")
	d, err := e.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{})
	must(t, err)
	if len(d.VpcEndpoints) != 0 {
		t.Errorf("%d endpoints made, want none", len(d.VpcEndpoints))
	}
	_, err = e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc, ServiceName: aws.String("com.amazonaws.us-east-1.s3"), RouteTableIds: []string{table}})
	must(t, err)
}
