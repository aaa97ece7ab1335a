package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// An interface endpoint to the account's endpoint service of a Network
// Load Balancer (AWS PrivateLink): created only in a zone the load
// balancer serves, with an ENI carrying the security groups given, in
// pendingAcceptance when the service requires acceptance, with a DNS name
// of the service's id.
func TestPrivateLinkNLBEndpointAPI(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	e := c.ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	subnet := func(cidr, zone string) string {
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(zone)})
		must(t, err)
		return aws.ToString(s.Subnet.SubnetId)
	}
	a, b := subnet("10.0.1.0/24", "us-east-1a"), subnet("10.0.2.0/24", "us-east-1b")
	lb, err := c.elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("svc"), Type: elbtypes.LoadBalancerTypeEnumNetwork,
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal, Subnets: []string{a}})
	must(t, err)
	svc, err := e.CreateVpcEndpointServiceConfiguration(ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
		NetworkLoadBalancerArns: []string{aws.ToString(lb.LoadBalancers[0].LoadBalancerArn)}, AcceptanceRequired: aws.Bool(true)})
	must(t, err)
	name := svc.ServiceConfiguration.ServiceName
	sg, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: v.Vpc.VpcId, GroupName: aws.String("ep"), Description: aws.String("ep")})
	must(t, err)

	// us-east-1b: the load balancer has no node there.
	_, err = e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: v.Vpc.VpcId, ServiceName: name, VpcEndpointType: ec2types.VpcEndpointTypeInterface,
		SubnetIds: []string{b}})
	if err == nil || !strings.Contains(err.Error(), "InvalidParameter") || !strings.Contains(err.Error(), "availability zone") {
		t.Fatalf("endpoint in a zone the service does not serve: %v, want InvalidParameter about the availability zone", err)
	}
	ep, err := e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: v.Vpc.VpcId, ServiceName: name, VpcEndpointType: ec2types.VpcEndpointTypeInterface,
		SubnetIds: []string{a}, SecurityGroupIds: []string{aws.ToString(sg.GroupId)}})
	must(t, err)
	x := ep.VpcEndpoint
	if x.State != ec2types.State("pendingAcceptance") || len(x.NetworkInterfaceIds) != 1 || len(x.Groups) != 1 || aws.ToString(x.Groups[0].GroupId) != aws.ToString(sg.GroupId) {
		t.Errorf("endpoint: state %s, ENIs %v, groups %+v; want pendingAcceptance, one ENI, the group given", x.State, x.NetworkInterfaceIds, x.Groups)
	}
	id := aws.ToString(svc.ServiceConfiguration.ServiceId)
	if len(x.DnsEntries) == 0 || !strings.Contains(aws.ToString(x.DnsEntries[0].DnsName), "."+id+".us-east-1.vpce.amazonaws.com") {
		t.Errorf("DNS entries %+v, want vpce-….%s.us-east-1.vpce.amazonaws.com", x.DnsEntries, id)
	}
}
