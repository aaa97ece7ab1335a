package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// The owner of an endpoint service sees the endpoints that connect to it
// through DescribeVpcEndpointConnections (the connection accepter of
// Terraform and CloudFormation reads it), pending ones among them, and the
// documented vpc-endpoint-state values (pendingAcceptance, …) filter both
// it and DescribeVpcEndpoints.
func TestVpcEndpointConnectionsAPI(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	e := c.ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	subnet := aws.ToString(s.Subnet.SubnetId)
	lb, err := c.elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("gw"), Type: elbtypes.LoadBalancerTypeEnumGateway,
		Subnets: []string{subnet}})
	must(t, err)
	lbARN := aws.ToString(lb.LoadBalancers[0].LoadBalancerArn)
	svc, err := e.CreateVpcEndpointServiceConfiguration(ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{GatewayLoadBalancerArns: []string{lbARN}})
	must(t, err)
	cfg := svc.ServiceConfiguration
	endpoint := func() string {
		ep, err := e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: v.Vpc.VpcId, ServiceName: cfg.ServiceName,
			VpcEndpointType: ec2types.VpcEndpointTypeGatewayLoadBalancer, SubnetIds: []string{subnet}})
		must(t, err)
		return aws.ToString(ep.VpcEndpoint.VpcEndpointId)
	}
	first, second := endpoint(), endpoint()
	// An endpoint to an AWS service is no connection of the account's.
	_, err = e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: v.Vpc.VpcId, ServiceName: aws.String("com.amazonaws.us-east-1.s3")})
	must(t, err)

	conns := func(filters ...ec2types.Filter) []ec2types.VpcEndpointConnection {
		t.Helper()
		out, err := e.DescribeVpcEndpointConnections(ctx, &ec2.DescribeVpcEndpointConnectionsInput{Filters: filters})
		must(t, err)
		return out.VpcEndpointConnections
	}
	all := conns()
	if len(all) != 2 {
		t.Fatalf("DescribeVpcEndpointConnections: %d connections, want the 2 endpoints to the service: %+v", len(all), all)
	}
	for _, x := range all {
		if aws.ToString(x.ServiceId) != aws.ToString(cfg.ServiceId) || x.VpcEndpointState != ec2types.State("pendingAcceptance") ||
			aws.ToString(x.VpcEndpointOwner) != "123456789012" || x.CreationTimestamp == nil ||
			len(x.GatewayLoadBalancerArns) != 1 || x.GatewayLoadBalancerArns[0] != lbARN || len(x.NetworkLoadBalancerArns) != 0 {
			t.Errorf("connection before acceptance: %+v", x)
		}
	}
	if got := conns(filter("vpc-endpoint-state", "pendingAcceptance")); len(got) != 2 {
		t.Errorf("vpc-endpoint-state=pendingAcceptance: %d connections, want 2", len(got))
	}
	pending, err := e.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: []ec2types.Filter{filter("vpc-endpoint-state", "pendingAcceptance")}})
	must(t, err)
	if len(pending.VpcEndpoints) != 2 {
		t.Errorf("DescribeVpcEndpoints vpc-endpoint-state=pendingAcceptance: %d endpoints, want 2", len(pending.VpcEndpoints))
	}

	_, err = e.AcceptVpcEndpointConnections(ctx, &ec2.AcceptVpcEndpointConnectionsInput{ServiceId: cfg.ServiceId, VpcEndpointIds: []string{first}})
	must(t, err)
	_, err = e.RejectVpcEndpointConnections(ctx, &ec2.RejectVpcEndpointConnectionsInput{ServiceId: cfg.ServiceId, VpcEndpointIds: []string{second}})
	must(t, err)
	for id, want := range map[string]ec2types.State{first: ec2types.State("available"), second: ec2types.State("rejected")} {
		got := conns(filter("vpc-endpoint-id", id))
		if len(got) != 1 || got[0].VpcEndpointState != want {
			t.Errorf("connection of %s: %+v, want state %s", id, got, want)
		}
	}
	if got := conns(filter("vpc-endpoint-state", "available"), filter("service-id", aws.ToString(cfg.ServiceId))); len(got) != 1 ||
		aws.ToString(got[0].VpcEndpointId) != first {
		t.Errorf("vpc-endpoint-state=available: %+v", got)
	}
	if got := conns(filter("service-id", "vpce-svc-0123456789abcdef0")); len(got) != 0 {
		t.Errorf("another service's connections: %+v", got)
	}
	_, err = e.DescribeVpcEndpointConnections(ctx, &ec2.DescribeVpcEndpointConnectionsInput{Filters: []ec2types.Filter{filter("vpc-id", "x")}})
	wantAPIError(t, err, "InvalidParameterValue", "The filter 'vpc-id' is invalid")
}
