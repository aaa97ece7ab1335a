package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

// CreateVpcEndpoint answers an interface endpoint and a Gateway Load
// Balancer endpoint (to a service that accepts without review) pending, a
// gateway endpoint available (the aws CLI's create-vpc-endpoint
// examples); the emulator's clock makes the pending ones available, as a
// client that waits (Terraform's aws_vpc_endpoint) sees, and a route then
// names the GWLB endpoint.
func TestVpcEndpointPendingThenAvailable(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	e := c.ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpc := v.Vpc.VpcId
	_, err = e.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	subnet := func(cidr string) string {
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String("us-east-1a")})
		must(t, err)
		return aws.ToString(s.Subnet.SubnetId)
	}
	appliances, endpoints := subnet("10.0.1.0/24"), subnet("10.0.2.0/24")

	gw, err := e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc, ServiceName: aws.String("com.amazonaws.us-east-1.s3")})
	must(t, err)
	if gw.VpcEndpoint.State != ec2types.State("available") {
		t.Errorf("gateway endpoint: state %q, want available", gw.VpcEndpoint.State)
	}
	iface, err := e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc, ServiceName: aws.String("com.amazonaws.us-east-1.ecr.api"),
		VpcEndpointType: ec2types.VpcEndpointTypeInterface, SubnetIds: []string{endpoints}})
	must(t, err)
	if iface.VpcEndpoint.State != ec2types.State("pending") {
		t.Errorf("interface endpoint: state %q, want pending", iface.VpcEndpoint.State)
	}

	lb, err := c.elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("gw"), Type: "gateway", Subnets: []string{appliances}})
	must(t, err)
	svc, err := e.CreateVpcEndpointServiceConfiguration(ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
		GatewayLoadBalancerArns: []string{aws.ToString(lb.LoadBalancers[0].LoadBalancerArn)}, AcceptanceRequired: aws.Bool(false)})
	must(t, err)
	gwlbe, err := e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc, ServiceName: svc.ServiceConfiguration.ServiceName,
		VpcEndpointType: ec2types.VpcEndpointTypeGatewayLoadBalancer, SubnetIds: []string{endpoints}})
	must(t, err)
	if gwlbe.VpcEndpoint.State != ec2types.State("pending") {
		t.Errorf("Gateway Load Balancer endpoint: state %q, want pending", gwlbe.VpcEndpoint.State)
	}

	ids := []string{aws.ToString(iface.VpcEndpoint.VpcEndpointId), aws.ToString(gwlbe.VpcEndpoint.VpcEndpointId)}
	eventually(t, "the endpoints become available", func() bool {
		d, err := e.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: ids})
		must(t, err)
		for _, ep := range d.VpcEndpoints {
			if ep.State != ec2types.State("available") {
				if ep.State != ec2types.State("pending") {
					t.Fatalf("%s: state %q on the way to available", aws.ToString(ep.VpcEndpointId), ep.State)
				}
				return false
			}
		}
		return len(d.VpcEndpoints) == 2
	})
	rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc})
	must(t, err)
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt.RouteTable.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0"), VpcEndpointId: &ids[1]})
	must(t, err)
}
