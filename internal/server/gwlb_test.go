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

// A Gateway Load Balancer through the AWS SDK for Go v2: the GWLB, a
// GENEVE target group whose appliance is healthy on its health check port
// (the analyzer's health check), the listener, the endpoint service, an
// endpoint to it (pending until accepted) and a route to the endpoint.
func TestGatewayLoadBalancerAPI(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	e, elb := c.ec2, c.elb
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpc := v.Vpc.VpcId
	subnet := func(cidr string) *string {
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String("us-east-1a")})
		must(t, err)
		return s.Subnet.SubnetId
	}
	appliances, endpoints := subnet("10.0.3.0/24"), subnet("10.0.2.0/24")

	g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: vpc, GroupName: aws.String("fw"), Description: aws.String("fw")})
	must(t, err)
	_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: []ec2types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/16")}}}}})
	must(t, err)
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		SubnetId: appliances, SecurityGroupIds: []string{aws.ToString(g.GroupId)}})
	must(t, err)
	fw := r.Instances[0].InstanceId
	must(t, ec2.NewInstanceRunningWaiter(e, func(o *ec2.InstanceRunningWaiterOptions) { o.MinDelay = 10e6; o.MaxDelay = 50e6 }).
		Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(fw)}}, 10e9))

	_, err = elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("gw"), Type: elbtypes.LoadBalancerTypeEnumGateway,
		Subnets: []string{aws.ToString(appliances)}, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	wantAPIError(t, err, "ValidationError", "You can't specify a scheme for a Gateway Load Balancer.")
	lbOut, err := elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("gw"), Type: elbtypes.LoadBalancerTypeEnumGateway,
		Subnets: []string{aws.ToString(appliances)}})
	must(t, err)
	lb := lbOut.LoadBalancers[0]
	arn := aws.ToString(lb.LoadBalancerArn)
	if lb.Type != elbtypes.LoadBalancerTypeEnumGateway || !strings.Contains(arn, ":loadbalancer/gwy/gw/") || lb.DNSName != nil || lb.Scheme != "" ||
		len(lb.AvailabilityZones) != 1 {
		t.Errorf("CreateLoadBalancer: %+v", lb)
	}
	tgOut, err := elb.CreateTargetGroup(ctx, &elasticloadbalancingv2.CreateTargetGroupInput{Name: aws.String("fw"), Protocol: elbtypes.ProtocolEnumGeneve,
		Port: aws.Int32(6081), VpcId: vpc, HealthCheckPort: aws.String("22")})
	must(t, err)
	tg := tgOut.TargetGroups[0]
	if tg.Protocol != elbtypes.ProtocolEnumGeneve || aws.ToInt32(tg.HealthCheckIntervalSeconds) != 10 || aws.ToInt32(tg.HealthCheckTimeoutSeconds) != 5 ||
		tg.HealthCheckProtocol != elbtypes.ProtocolEnumTcp || aws.ToString(tg.HealthCheckPort) != "22" {
		t.Errorf("CreateTargetGroup: %+v", tg)
	}
	_, err = elb.RegisterTargets(ctx, &elasticloadbalancingv2.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: []elbtypes.TargetDescription{{Id: fw}}})
	must(t, err)
	lis, err := elb.CreateListener(ctx, &elasticloadbalancingv2.CreateListenerInput{LoadBalancerArn: &arn,
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}}})
	must(t, err)
	if l := lis.Listeners[0]; l.Port != nil || l.Protocol != "" || !strings.Contains(aws.ToString(l.ListenerArn), ":listener/gwy/gw/") {
		t.Errorf("CreateListener: %+v", l)
	}
	// The new target is initial until HealthyThresholdCount checks passed.
	var h *elasticloadbalancingv2.DescribeTargetHealthOutput
	eventually(t, "the appliance's first health checks", func() bool {
		h, err = elb.DescribeTargetHealth(ctx, &elasticloadbalancingv2.DescribeTargetHealthInput{TargetGroupArn: tg.TargetGroupArn})
		must(t, err)
		return len(h.TargetHealthDescriptions) != 1 || h.TargetHealthDescriptions[0].TargetHealth.State != elbtypes.TargetHealthStateEnumInitial
	})
	if len(h.TargetHealthDescriptions) != 1 || h.TargetHealthDescriptions[0].TargetHealth.State != elbtypes.TargetHealthStateEnumHealthy {
		t.Errorf("DescribeTargetHealth: %+v", h.TargetHealthDescriptions)
	}

	svc, err := e.CreateVpcEndpointServiceConfiguration(ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{GatewayLoadBalancerArns: []string{arn}})
	must(t, err)
	cfg := svc.ServiceConfiguration
	if len(cfg.ServiceType) != 1 || cfg.ServiceType[0].ServiceType != ec2types.ServiceTypeGatewayLoadBalancer || len(cfg.BaseEndpointDnsNames) != 0 {
		t.Errorf("CreateVpcEndpointServiceConfiguration: %+v", cfg)
	}
	ep, err := e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc, ServiceName: cfg.ServiceName,
		VpcEndpointType: ec2types.VpcEndpointTypeGatewayLoadBalancer, SubnetIds: []string{aws.ToString(endpoints)}})
	must(t, err)
	id := aws.ToString(ep.VpcEndpoint.VpcEndpointId)
	if ep.VpcEndpoint.State != ec2types.State("pendingAcceptance") || len(ep.VpcEndpoint.NetworkInterfaceIds) != 1 {
		t.Errorf("CreateVpcEndpoint: %+v", ep.VpcEndpoint)
	}
	_, err = e.AcceptVpcEndpointConnections(ctx, &ec2.AcceptVpcEndpointConnectionsInput{ServiceId: cfg.ServiceId, VpcEndpointIds: []string{id}})
	must(t, err)
	rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc})
	must(t, err)
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt.RouteTable.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0"), VpcEndpointId: &id})
	must(t, err)
	d, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("route.gateway-id", id)}})
	must(t, err)
	if len(d.RouteTables) != 1 || aws.ToString(d.RouteTables[0].RouteTableId) != aws.ToString(rt.RouteTable.RouteTableId) {
		t.Errorf("DescribeRouteTables route.gateway-id=%s: %+v", id, d.RouteTables)
	}
	de, err := e.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
	must(t, err)
	if de.VpcEndpoints[0].State != ec2types.State("available") {
		t.Errorf("after AcceptVpcEndpointConnections: %+v", de.VpcEndpoints[0])
	}
}
