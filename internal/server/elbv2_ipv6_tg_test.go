package server_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// IPv6 target groups through the AWS SDK for Go v2: CreateTargetGroup
// IpAddressType ipv6, targets by IPv6 address only, a listener forwards to
// one only from a dualstack load balancer (which then cannot go back to
// ipv4), and an ECS service registers its Fargate task by its IPv6
// address, healthy over IPv6 as the analyzer sees it.
func TestIPv6TargetGroups(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	e, lbc := c.ec2, c.elb
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	vpc := aws.ToString(v.Vpc.VpcId)
	block := netip.MustParsePrefix(aws.ToString(v.Vpc.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock))
	var subnets []string
	var sub64 []netip.Prefix
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		b := block.Addr().As16()
		b[7] = byte(i + 1)
		p := netip.PrefixFrom(netip.AddrFrom16(b), 64)
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0." + string(rune('1'+i)) + ".0/24"),
			Ipv6CidrBlock: aws.String(p.String()), AvailabilityZone: aws.String(az)})
		must(t, err)
		subnets, sub64 = append(subnets, aws.ToString(s.Subnet.SubnetId)), append(sub64, p)
	}
	// A route to the internet for the image pull (IPv4, a public address).
	igw, err := e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)
	_, err = e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: &vpc})
	must(t, err)
	rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &vpc})
	must(t, err)
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt.RouteTable.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0"),
		GatewayId: igw.InternetGateway.InternetGatewayId})
	must(t, err)
	for _, s := range subnets {
		_, err = e.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: rt.RouteTable.RouteTableId, SubnetId: aws.String(s)})
		must(t, err)
	}
	code := func(err error) (string, string) {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return ae.ErrorCode(), ae.ErrorMessage()
		}
		return "", ""
	}

	newTG := func(name, ipType, targetType string) (*elbv2.CreateTargetGroupOutput, error) {
		return lbc.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
			VpcId: &vpc, TargetType: elbtypes.TargetTypeEnum(targetType), IpAddressType: elbtypes.TargetGroupIpAddressTypeEnum(ipType)})
	}
	tg6, err := newTG("six", "ipv6", "ip")
	must(t, err)
	tg6ARN := tg6.TargetGroups[0].TargetGroupArn
	if got := tg6.TargetGroups[0].IpAddressType; got != "ipv6" {
		t.Errorf("IpAddressType %q", got)
	}
	d, err := lbc.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{*tg6ARN}})
	must(t, err)
	if got := d.TargetGroups[0].IpAddressType; got != "ipv6" {
		t.Errorf("DescribeTargetGroups IpAddressType %q", got)
	}
	if _, err := newTG("bad", "ipv7", "ip"); func() string { c, _ := code(err); return c }() != "ValidationError" {
		t.Errorf("ipv7: %v", err)
	}
	if _, err := newTG("lam", "ipv6", "lambda"); err == nil {
		t.Error("an ipv6 lambda target group was created")
	}
	tg4, err := newTG("four", "", "ip")
	must(t, err)
	if got := tg4.TargetGroups[0].IpAddressType; got != "ipv4" {
		t.Errorf("default IpAddressType %q", got)
	}

	// Targets: IPv6 addresses in an ipv6 group, IPv4 in an ipv4 one.
	in6 := sub64[0].Addr().Next().Next().Next().Next().Next().Next().Next().Next().Next().Next().String()
	reg := func(arn *string, id string) error {
		_, err := lbc.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: arn, Targets: []elbtypes.TargetDescription{{Id: aws.String(id)}}})
		return err
	}
	if c, m := code(reg(tg6ARN, "10.0.1.20")); c != "ValidationError" || m != "The IP address '10.0.1.20' is not a valid IPv6 address" {
		t.Errorf("an IPv4 target in an ipv6 group: %s %q", c, m)
	}
	if c, m := code(reg(tg4.TargetGroups[0].TargetGroupArn, in6)); c != "ValidationError" || m != "The IP address '"+in6+"' is not a valid IPv4 address" {
		t.Errorf("an IPv6 target in an ipv4 group: %s %q", c, m)
	}
	must(t, reg(tg6ARN, in6))
	h, err := lbc.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: tg6ARN})
	must(t, err)
	if len(h.TargetHealthDescriptions) != 1 || aws.ToString(h.TargetHealthDescriptions[0].Target.AvailabilityZone) != "us-east-1a" {
		t.Errorf("the IPv6 target: %+v", h.TargetHealthDescriptions)
	}
	_, err = lbc.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: tg6ARN, Targets: []elbtypes.TargetDescription{{Id: aws.String(in6)}}})
	must(t, err)

	// Instance targets of an ipv6 group need an IPv6 address.
	ri, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: &subnets[0]})
	must(t, err)
	inst := aws.ToString(ri.Instances[0].InstanceId)
	eventually(t, "the instance runs", func() bool {
		o, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{inst}})
		return err == nil && o.Reservations[0].Instances[0].State.Name == ec2types.InstanceStateNameRunning
	})
	tgi, err := newTG("six-inst", "ipv6", "instance")
	must(t, err)
	if c, m := code(reg(tgi.TargetGroups[0].TargetGroupArn, inst)); c != "InvalidTarget" ||
		m != "The following targets cannot be used with this IPv6 target group because of missing primary IPv6 addresses: "+inst {
		t.Errorf("an instance without IPv6: %s %q", c, m)
	}

	// A listener forwards to the ipv6 group only from a dualstack ALB.
	sg, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web"), VpcId: &vpc})
	must(t, err)
	_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: []ec2types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: sg.GroupId}}}}})
	must(t, err)
	lb, err := lbc.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("alb"), Subnets: subnets, SecurityGroups: []string{*sg.GroupId},
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	lbARN := lb.LoadBalancers[0].LoadBalancerArn
	listen := func() error {
		_, err := lbc.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lbARN, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
			DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tg6ARN}}})
		return err
	}
	if c, m := code(listen()); c != "ValidationError" || m != "You cannot associate an IPv6 target group with a load balancer that has an 'ipv4' IP address type" {
		t.Errorf("an ipv6 group behind an ipv4 ALB: %s %q", c, m)
	}
	_, err = lbc.SetIpAddressType(ctx, &elbv2.SetIpAddressTypeInput{LoadBalancerArn: lbARN, IpAddressType: elbtypes.IpAddressTypeDualstack})
	must(t, err)
	must(t, listen())
	if _, err := lbc.SetIpAddressType(ctx, &elbv2.SetIpAddressTypeInput{LoadBalancerArn: lbARN, IpAddressType: elbtypes.IpAddressTypeIpv4}); err == nil {
		t.Error("the ALB went back to ipv4 with an ipv6 target group behind it")
	}

	// An ECS service registers its Fargate task by its IPv6 address; the
	// health check reaches it over IPv6 (the group admits its own members).
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(80)}}}}})
	must(t, err)
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: subnets, SecurityGroups: []string{*sg.GroupId},
			AssignPublicIp: ecstypes.AssignPublicIpEnabled}},
		LoadBalancers: []ecstypes.LoadBalancer{{TargetGroupArn: tg6ARN, ContainerName: aws.String("web"), ContainerPort: aws.Int32(80)}}})
	must(t, err)
	var target string
	defer func() {
		if !t.Failed() {
			return
		}
		h, err := lbc.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: tg6ARN})
		if err != nil {
			t.Log(err)
			return
		}
		for _, d := range h.TargetHealthDescriptions {
			t.Logf("target %s %s %s %s", aws.ToString(d.Target.Id), d.TargetHealth.State, d.TargetHealth.Reason, aws.ToString(d.TargetHealth.Description))
		}
		ts, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), DesiredStatus: ecstypes.DesiredStatusStopped})
		if err != nil || len(ts.TaskArns) == 0 {
			t.Log("no stopped task", err)
			return
		}
		dt, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: ts.TaskArns})
		if err != nil {
			t.Log(err)
			return
		}
		for _, tk := range dt.Tasks {
			t.Logf("stopped task: %s", aws.ToString(tk.StoppedReason))
		}
	}()
	eventually(t, "the task registers by its IPv6 address, healthy", func() bool {
		h, err := lbc.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: tg6ARN})
		if err != nil || len(h.TargetHealthDescriptions) != 1 {
			return false
		}
		target = aws.ToString(h.TargetHealthDescriptions[0].Target.Id)
		return h.TargetHealthDescriptions[0].TargetHealth.State == elbtypes.TargetHealthStateEnumHealthy
	})
	a, err := netip.ParseAddr(target)
	if err != nil || !block.Contains(a) {
		t.Errorf("the task's target is %q, want an IPv6 address of the VPC", target)
	}
}
