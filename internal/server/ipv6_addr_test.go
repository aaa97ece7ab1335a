package server_test

import (
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// IPv6 addresses on interfaces, egress-only internet gateways, IPv6
// routes and task IPv6 addresses, through the AWS SDK for Go v2.
func TestIPv6AddressesAndRoutes(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	e := c.ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	vpc := aws.ToString(v.Vpc.VpcId)
	block := netip.MustParsePrefix(aws.ToString(v.Vpc.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock))
	b := block.Addr().As16()
	b[7] = 1
	sub64 := netip.PrefixFrom(netip.AddrFrom16(b), 64)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.1.0/24"), Ipv6CidrBlock: aws.String(sub64.String()), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	subnet := aws.ToString(s.Subnet.SubnetId)
	v4only, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.2.0/24")})
	must(t, err)

	// Egress-only internet gateway and ::/0 routes.
	g, err := e.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: &vpc})
	must(t, err)
	eigw := aws.ToString(g.EgressOnlyInternetGateway.EgressOnlyInternetGatewayId)
	if a := g.EgressOnlyInternetGateway.Attachments; len(a) != 1 || aws.ToString(a[0].VpcId) != vpc || a[0].State != ec2types.AttachmentStatusAttached {
		t.Errorf("attachments %+v", a)
	}
	rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &vpc})
	must(t, err)
	local6 := false
	for _, r := range rt.RouteTable.Routes {
		local6 = local6 || aws.ToString(r.DestinationIpv6CidrBlock) == block.String()
	}
	if !local6 {
		t.Errorf("a new route table of a dual-stack VPC has no local IPv6 route: %+v", rt.RouteTable.Routes)
	}
	rtb := rt.RouteTable.RouteTableId
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rtb, DestinationIpv6CidrBlock: aws.String("::/0"), EgressOnlyInternetGatewayId: &eigw})
	must(t, err)
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rtb, DestinationCidrBlock: aws.String("0.0.0.0/0"), EgressOnlyInternetGatewayId: &eigw})
	if apiCode(err) != "InvalidParameterValue" {
		t.Errorf("an IPv4 route to an egress-only gateway: %v", err)
	}
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rtb, DestinationIpv6CidrBlock: aws.String("::/0"), EgressOnlyInternetGatewayId: &eigw})
	if apiCode(err) != "RouteAlreadyExists" {
		t.Errorf("a second ::/0 route: %v", err)
	}
	d, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{
		filter("route.egress-only-internet-gateway-id", eigw), filter("route.destination-ipv6-cidr-block", "::/0")}})
	must(t, err)
	if len(d.RouteTables) != 1 {
		t.Fatalf("route tables with the ::/0 route: %d", len(d.RouteTables))
	}
	found := false
	for _, r := range d.RouteTables[0].Routes {
		if aws.ToString(r.DestinationIpv6CidrBlock) == "::/0" {
			found = aws.ToString(r.EgressOnlyInternetGatewayId) == eigw && r.State == ec2types.RouteStateActive
		}
	}
	if !found {
		t.Errorf("routes %+v", d.RouteTables[0].Routes)
	}
	_, err = e.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: &vpc})
	if apiCode(err) != "DependencyViolation" {
		t.Errorf("deleting a VPC with an egress-only gateway: %v", err)
	}
	_, err = e.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: rtb, DestinationIpv6CidrBlock: aws.String("::/0")})
	must(t, err)
	_, err = e.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: rtb, DestinationIpv6CidrBlock: aws.String("::/0")})
	if apiCode(err) != "InvalidRoute.NotFound" {
		t.Errorf("deleting a missing IPv6 route: %v", err)
	}
	_, err = e.DeleteEgressOnlyInternetGateway(ctx, &ec2.DeleteEgressOnlyInternetGatewayInput{EgressOnlyInternetGatewayId: &eigw})
	must(t, err)
	// A deleted gateway is an empty answer, not an error (the Terraform
	// provider's finder relies on it; docs/aws-behavior.md).
	gone, err := e.DescribeEgressOnlyInternetGateways(ctx, &ec2.DescribeEgressOnlyInternetGatewaysInput{EgressOnlyInternetGatewayIds: []string{eigw}})
	if err != nil || len(gone.EgressOnlyInternetGateways) != 0 {
		t.Errorf("describing a deleted egress-only gateway: %v %+v", err, gone)
	}

	// Interfaces: counts, fixed addresses, assign and unassign.
	n, err := e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &subnet, Ipv6AddressCount: aws.Int32(1)})
	must(t, err)
	if a := n.NetworkInterface.Ipv6Addresses; len(a) != 1 || !sub64.Contains(netip.MustParseAddr(aws.ToString(a[0].Ipv6Address))) {
		t.Fatalf("IPv6 addresses %+v", a)
	}
	eni := n.NetworkInterface.NetworkInterfaceId
	as, err := e.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni, Ipv6AddressCount: aws.Int32(2)})
	must(t, err)
	if len(as.AssignedIpv6Addresses) != 2 {
		t.Errorf("assigned %v", as.AssignedIpv6Addresses)
	}
	_, err = e.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni, Ipv6AddressCount: aws.Int32(48)})
	if apiCode(err) != "AddressLimitExceeded" {
		t.Errorf("51 IPv6 addresses on one interface: %v", err)
	}
	_, err = e.UnassignIpv6Addresses(ctx, &ec2.UnassignIpv6AddressesInput{NetworkInterfaceId: eni, Ipv6Addresses: as.AssignedIpv6Addresses[:1]})
	must(t, err)
	dn, err := e.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{filter("ipv6-addresses.ipv6-address", as.AssignedIpv6Addresses[1])}})
	must(t, err)
	if len(dn.NetworkInterfaces) != 1 || len(dn.NetworkInterfaces[0].Ipv6Addresses) != 2 {
		t.Errorf("after unassigning one: %+v", dn.NetworkInterfaces)
	}
	fixed := sub64.Addr().As16()
	fixed[15] = 0x42
	want := netip.AddrFrom16(fixed).String()
	_, err = e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &subnet, Ipv6Addresses: []ec2types.InstanceIpv6Address{{Ipv6Address: &want}}})
	must(t, err)
	_, err = e.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni, Ipv6Addresses: []string{want}})
	if apiCode(err) != "InvalidIPAddress.InUse" {
		t.Errorf("assigning an address in use: %v", err)
	}
	_, err = e.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni, Ipv6Addresses: []string{"2001:db8::1"}})
	if apiCode(err) != "InvalidParameterValue" {
		t.Errorf("assigning an address outside the subnet: %v", err)
	}
	_, err = e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: v4only.Subnet.SubnetId, Ipv6AddressCount: aws.Int32(1)})
	if apiCode(err) != "InvalidParameterValue" {
		t.Errorf("an IPv6 address in a subnet without IPv6: %v", err)
	}
	_, err = e.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: v4only.Subnet.SubnetId, AssignIpv6AddressOnCreation: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	if apiCode(err) != "InvalidParameterValue" {
		t.Errorf("AssignIpv6AddressOnCreation without a block: %v", err)
	}

	// Instances: AssignIpv6AddressOnCreation, counts, and the combination AWS refuses.
	_, err = e.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: &subnet, AssignIpv6AddressOnCreation: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	run := func(in *ec2.RunInstancesInput) (*ec2.RunInstancesOutput, error) {
		in.ImageId, in.InstanceType, in.MinCount, in.MaxCount, in.SubnetId = aws.String(testAMI), ec2types.InstanceTypeT3Micro, aws.Int32(1), aws.Int32(1), &subnet
		return e.RunInstances(ctx, in)
	}
	r, err := run(&ec2.RunInstancesInput{})
	must(t, err)
	if a := r.Instances[0].NetworkInterfaces[0].Ipv6Addresses; len(a) != 1 || aws.ToString(r.Instances[0].Ipv6Address) != aws.ToString(a[0].Ipv6Address) {
		t.Errorf("an instance in a subnet that assigns IPv6 on creation: %+v, %v", a, aws.ToString(r.Instances[0].Ipv6Address))
	}
	r, err = run(&ec2.RunInstancesInput{Ipv6AddressCount: aws.Int32(2)})
	must(t, err)
	if a := r.Instances[0].NetworkInterfaces[0].Ipv6Addresses; len(a) != 2 {
		t.Errorf("Ipv6AddressCount 2: %+v", a)
	}
	_, err = run(&ec2.RunInstancesInput{Ipv6AddressCount: aws.Int32(1), Ipv6Addresses: []ec2types.InstanceIpv6Address{{Ipv6Address: aws.String(sub64.Addr().Next().Next().Next().Next().Next().String())}}})
	if apiCode(err) != "InvalidParameterCombination" {
		t.Errorf("count and addresses together: %v", err)
	}

	// An awsvpc Fargate task in the dual-stack subnet gets an IPv6 address.
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx")}}})
	must(t, err)
	runTask := func() ecstypes.Task {
		out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"), LaunchType: ecstypes.LaunchTypeFargate,
			NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet}}}})
		must(t, err)
		return out.Tasks[0]
	}
	ipv6Of := func(tk ecstypes.Task) string {
		for _, d := range tk.Attachments[0].Details {
			if aws.ToString(d.Name) == "ipv6Address" {
				return aws.ToString(d.Value)
			}
		}
		return ""
	}
	tk := runTask()
	if a := ipv6Of(tk); a == "" || !sub64.Contains(netip.MustParseAddr(a)) {
		t.Errorf("the task's IPv6 address is %q", a)
	}
	_, err = c.ecs.PutAccountSetting(ctx, &ecs.PutAccountSettingInput{Name: ecstypes.SettingName("dualStackIPv6"), Value: aws.String("disabled")})
	must(t, err)
	if a := ipv6Of(runTask()); a != "" {
		t.Errorf("with dualStackIPv6 disabled the task got %q", a)
	}
}
