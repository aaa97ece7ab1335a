package server_test

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// The rows of ../shared/reference/peers.md's moto table, on the wire: each
// asserts what AWS does where moto does something else.

// estate is a VPC with two public subnets in two zones, a cluster "c" and
// its container instances.
type estate struct {
	c           clients
	url         string // the emulator's
	vpc         string
	subnets     []string
	defaultSG   string
	open        string // a group open to everything
	noDNSVpc    string
	noDNSSubnet string
}

func newEstate(t *testing.T, instanceType ec2types.InstanceType, instances int) *estate {
	t.Helper()
	return newEstateOn(t, newEmulator(t, nil), instanceType, instances)
}

// newEstateOn is newEstate on a given emulator.
func newEstateOn(t *testing.T, em *emulator, instanceType ec2types.InstanceType, instances int) *estate {
	t.Helper()
	es := &estate{c: sdkClients(em.URL), url: em.URL}
	e := es.c.ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	es.vpc = aws.ToString(v.Vpc.VpcId)
	igw, err := e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)
	_, err = e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: &es.vpc})
	must(t, err)
	rts, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{es.vpc}}}})
	must(t, err)
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rts.RouteTables[0].RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0"),
		GatewayId: igw.InternetGateway.InternetGatewayId})
	must(t, err)
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &es.vpc, CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i+1)), AvailabilityZone: aws.String(az)})
		must(t, err)
		es.subnets = append(es.subnets, aws.ToString(s.Subnet.SubnetId))
		_, err = e.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: s.Subnet.SubnetId, MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
		must(t, err)
	}
	g, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{es.vpc}}, {Name: aws.String("group-name"), Values: []string{"default"}}}})
	must(t, err)
	es.defaultSG = aws.ToString(g.SecurityGroups[0].GroupId)
	open, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("open"), Description: aws.String("open"), VpcId: &es.vpc})
	must(t, err)
	es.open = aws.ToString(open.GroupId)
	_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: open.GroupId, IpPermissions: []ec2types.IpPermission{{
		IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}})
	must(t, err)
	_, err = es.c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	ud := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n"))
	for i := range instances {
		_, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: instanceType, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			SubnetId: &es.subnets[i%2], SecurityGroupIds: []string{es.open}, UserData: &ud, IamInstanceProfile: ecsInstanceProfile(t, es.url)})
		must(t, err)
	}
	eventually(t, "the instances register", func() bool {
		l, err := es.c.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("c")})
		return err == nil && len(l.ContainerInstanceArns) == instances
	})
	return es
}

func (es *estate) taskDef(t *testing.T, family string, mode ecstypes.NetworkMode, hostPort int32, compat ...ecstypes.Compatibility) {
	t.Helper()
	pm := ecstypes.PortMapping{ContainerPort: aws.Int32(3000)}
	switch mode {
	case ecstypes.NetworkModeBridge:
		pm.HostPort = aws.Int32(hostPort)
	case ecstypes.NetworkModeHost:
		pm.ContainerPort, pm.HostPort = aws.Int32(hostPort), aws.Int32(hostPort)
	}
	in := &ecs.RegisterTaskDefinitionInput{Family: &family, NetworkMode: mode, RequiresCompatibilities: compat,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(128),
			PortMappings: []ecstypes.PortMapping{pm}}}}
	if len(compat) > 0 && compat[0] == ecstypes.CompatibilityFargate {
		in.Cpu, in.Memory = aws.String("256"), aws.String("512")
	}
	_, err := es.c.ecs.RegisterTaskDefinition(ctx, in)
	must(t, err)
}

func (es *estate) awsvpc(groups ...string) *ecstypes.NetworkConfiguration {
	return &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: es.subnets, SecurityGroups: groups}}
}

func (es *estate) run(t *testing.T, family string, count int32, net *ecstypes.NetworkConfiguration, launch ecstypes.LaunchType) *ecs.RunTaskOutput {
	t.Helper()
	out, err := es.c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: &family, Count: aws.Int32(count),
		NetworkConfiguration: net, LaunchType: launch})
	must(t, err)
	return out
}

func taskENI(tk ecstypes.Task) (eni, ip, subnet string) {
	for _, d := range tk.Attachments[0].Details {
		switch aws.ToString(d.Name) {
		case "networkInterfaceId":
			eni = aws.ToString(d.Value)
		case "privateIPv4Address":
			ip = aws.ToString(d.Value)
		case "subnetId":
			subnet = aws.ToString(d.Value)
		}
	}
	return
}

func TestPeersTable(t *testing.T) {
	t.Parallel()
	t.Run("awsvpc addresses come from the subnets, every subnet is used, the default group when none is given", func(t *testing.T) {
		t.Parallel()
		es := newEstate(t, ec2types.InstanceTypeM54xlarge, 2)
		es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0)
		out := es.run(t, "web", 4, es.awsvpc(), ecstypes.LaunchTypeEc2)
		if len(out.Tasks) != 4 {
			t.Fatalf("%d tasks placed, failures %+v", len(out.Tasks), out.Failures)
		}
		used := map[string]bool{}
		seen := map[string]bool{}
		for _, tk := range out.Tasks {
			eni, ip, subnet := taskENI(tk)
			used[subnet] = true
			a := netip.MustParseAddr(ip)
			p := netip.MustParsePrefix(map[string]string{es.subnets[0]: "10.0.1.0/24", es.subnets[1]: "10.0.2.0/24"}[subnet])
			if !p.Contains(a) || a.As4()[3] < 4 || seen[ip] {
				t.Errorf("task address %s in %s: reserved, outside or repeated", ip, p)
			}
			seen[ip] = true
			n, err := es.c.ec2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{eni}})
			must(t, err)
			if g := n.NetworkInterfaces[0].Groups; len(g) != 1 || aws.ToString(g[0].GroupId) != es.defaultSG {
				t.Errorf("task ENI groups %+v, want the VPC's default group %s", g, es.defaultSG)
			}
		}
		if len(used) != 2 {
			t.Errorf("tasks used subnets %v, want both", used)
		}
	})
	t.Run("unknown security group is an error, not a phantom group", func(t *testing.T) {
		t.Parallel()
		es := newEstate(t, ec2types.InstanceTypeM5Large, 1)
		es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0)
		_, err := es.c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"), NetworkConfiguration: es.awsvpc("sg-0123456789abcdef0")})
		wantAPIError(t, err, "InvalidParameterException", "Error retrieving security group information for [sg-0123456789abcdef0]: The security group 'sg-0123456789abcdef0' does not exist (ErrorCode: InvalidGroup.NotFound)")
	})
	t.Run("a VPC without DNS hostnames runs awsvpc tasks", func(t *testing.T) {
		t.Parallel()
		es := newEstate(t, ec2types.InstanceTypeM5Large, 1)
		es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0)
		out := es.run(t, "web", 1, es.awsvpc(es.open), "")
		if len(out.Tasks) != 1 {
			t.Fatalf("failures %+v", out.Failures)
		}
		for _, d := range out.Tasks[0].Attachments[0].Details {
			if aws.ToString(d.Name) == "privateDnsName" {
				t.Errorf("privateDnsName %s without enableDnsHostnames", aws.ToString(d.Value))
			}
		}
	})
	t.Run("Fargate with assignPublicIp ENABLED gets a public IP", func(t *testing.T) {
		t.Parallel()
		es := newEstate(t, ec2types.InstanceTypeM5Large, 0)
		es.taskDef(t, "fg", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
		net := es.awsvpc(es.open)
		net.AwsvpcConfiguration.AssignPublicIp = ecstypes.AssignPublicIpEnabled
		out := es.run(t, "fg", 1, net, ecstypes.LaunchTypeFargate)
		eni, _, _ := taskENI(out.Tasks[0])
		n, err := es.c.ec2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{eni}})
		must(t, err)
		if a := n.NetworkInterfaces[0].Association; a == nil || aws.ToString(a.PublicIp) == "" {
			t.Errorf("Fargate task ENI association %+v, want a public IP", a)
		}
		if aws.ToString(out.Tasks[0].PlatformVersion) != "1.4.0" {
			t.Errorf("platformVersion %q", aws.ToString(out.Tasks[0].PlatformVersion))
		}
	})
	t.Run("bridge: a static host port conflicts, dynamic ones do not; host mode conflicts", func(t *testing.T) {
		t.Parallel()
		es := newEstate(t, ec2types.InstanceTypeM5Large, 1)
		es.taskDef(t, "static", ecstypes.NetworkModeBridge, 3000)
		es.taskDef(t, "dynamic", ecstypes.NetworkModeBridge, 0)
		es.taskDef(t, "host", ecstypes.NetworkModeHost, 3001)
		if out := es.run(t, "static", 2, nil, ""); len(out.Tasks) != 1 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "RESOURCE:PORTS" {
			t.Errorf("two static 3000 tasks: %d placed, failures %+v, want 1 and RESOURCE:PORTS", len(out.Tasks), out.Failures)
		}
		out := es.run(t, "dynamic", 2, nil, "")
		if len(out.Tasks) != 2 {
			t.Fatalf("two dynamic tasks: %d placed, failures %+v", len(out.Tasks), out.Failures)
		}
		ports := map[int32]bool{}
		for _, tk := range out.Tasks {
			b := tk.Containers[0].NetworkBindings
			if len(b) != 1 || aws.ToInt32(b[0].HostPort) < 32768 || aws.ToInt32(b[0].ContainerPort) != 3000 {
				t.Errorf("dynamic bindings %+v", b)
				continue
			}
			ports[aws.ToInt32(b[0].HostPort)] = true
		}
		if len(ports) != 2 {
			t.Errorf("dynamic host ports %v, want two different ones", ports)
		}
		if out := es.run(t, "host", 2, nil, ""); len(out.Tasks) != 1 || len(out.Failures) != 1 {
			t.Errorf("two host-mode tasks on 3001: %d placed, failures %+v", len(out.Tasks), out.Failures)
		}
		_, err := es.c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("dynamic"), NetworkConfiguration: es.awsvpc()})
		wantAPIError(t, err, "InvalidParameterException", "Network Configuration is not valid for the given networkMode of this task definition.")
	})
	t.Run("DescribeTasks does not move a task; list-tasks --service-name filters", func(t *testing.T) {
		t.Parallel()
		es := newEstate(t, ec2types.InstanceTypeM54xlarge, 1)
		es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0)
		_, err := es.c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("svc"), TaskDefinition: aws.String("web"),
			DesiredCount: aws.Int32(2), NetworkConfiguration: es.awsvpc(es.open)})
		must(t, err)
		other := es.run(t, "web", 1, es.awsvpc(es.open), "")
		var svcTasks []string
		eventually(t, "the service runs 2 tasks", func() bool {
			l, err := es.c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("svc")})
			if err != nil || len(l.TaskArns) != 2 {
				return false
			}
			d, err := es.c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: l.TaskArns})
			if err != nil {
				return false
			}
			for _, tk := range d.Tasks {
				if aws.ToString(tk.LastStatus) != "RUNNING" {
					return false
				}
			}
			svcTasks = l.TaskArns
			return true
		})
		for _, arn := range svcTasks {
			if arn == aws.ToString(other.Tasks[0].TaskArn) {
				t.Errorf("list-tasks --service-name lists the standalone task")
			}
		}
		for range 30 {
			d, err := es.c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: svcTasks})
			must(t, err)
			for _, tk := range d.Tasks {
				if aws.ToString(tk.LastStatus) != "RUNNING" || aws.ToString(tk.DesiredStatus) != "RUNNING" {
					t.Fatalf("task moved to %s/%s by being described", aws.ToString(tk.LastStatus), aws.ToString(tk.DesiredStatus))
				}
			}
		}
	})
	t.Run("load balancers: two AZs, target type, registration, health, id+port", func(t *testing.T) {
		t.Parallel()
		es := newEstate(t, ec2types.InstanceTypeM54xlarge, 2)
		es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0)
		_, err := es.c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("one"), Subnets: es.subnets[:1]})
		wantAPIError(t, err, "ValidationError", "At least two subnets in two different Availability Zones must be specified")
		lb, err := es.c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("alb"), Subnets: es.subnets, SecurityGroups: []string{es.open}})
		must(t, err)
		tgIP, err := es.c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("ip"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(3000),
			VpcId: &es.vpc, TargetType: elbtypes.TargetTypeEnumIp})
		must(t, err)
		tgInst, err := es.c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("inst"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(3000), VpcId: &es.vpc})
		must(t, err)
		ipARN, instARN := aws.ToString(tgIP.TargetGroups[0].TargetGroupArn), aws.ToString(tgInst.TargetGroups[0].TargetGroupArn)
		_, err = es.c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
			DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &ipARN}}})
		must(t, err)
		_, err = es.c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(8080),
			DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &instARN}}})
		must(t, err)
		lbs := func(tg string) []ecstypes.LoadBalancer {
			return []ecstypes.LoadBalancer{{TargetGroupArn: &tg, ContainerName: aws.String("web"), ContainerPort: aws.Int32(3000)}}
		}
		_, err = es.c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("bad"), TaskDefinition: aws.String("web"),
			DesiredCount: aws.Int32(1), NetworkConfiguration: es.awsvpc(es.open), LoadBalancers: lbs(instARN)})
		wantAPIError(t, err, "InvalidParameterException", "The provided target group "+instARN+" has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.")
		_, err = es.c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"),
			DesiredCount: aws.Int32(2), NetworkConfiguration: es.awsvpc(es.open), LoadBalancers: lbs(ipARN)})
		must(t, err)
		eventually(t, "both tasks are registered and healthy", func() bool {
			h, err := es.c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: &ipARN})
			if err != nil || len(h.TargetHealthDescriptions) != 2 {
				return false
			}
			for _, d := range h.TargetHealthDescriptions {
				if d.TargetHealth.State != elbtypes.TargetHealthStateEnumHealthy {
					return false
				}
			}
			return true
		})
		// The same instance on two ports is two targets.
		insts, err := es.c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
		must(t, err)
		id := aws.ToString(insts.Reservations[0].Instances[0].InstanceId)
		_, err = es.c.elb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: &instARN, Targets: []elbtypes.TargetDescription{
			{Id: &id, Port: aws.Int32(3000)}, {Id: &id, Port: aws.Int32(3001)}}})
		must(t, err)
		// New targets are initial until UnhealthyThresholdCount checks failed.
		var h *elbv2.DescribeTargetHealthOutput
		eventually(t, "the instance targets' first health checks", func() bool {
			h, err = es.c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: &instARN})
			must(t, err)
			return !slices.ContainsFunc(h.TargetHealthDescriptions, func(d elbtypes.TargetHealthDescription) bool {
				return d.TargetHealth.State == elbtypes.TargetHealthStateEnumInitial
			})
		})
		if len(h.TargetHealthDescriptions) != 2 {
			t.Fatalf("%d targets, want 2 (instance id + port)", len(h.TargetHealthDescriptions))
		}
		// Nothing listens on the instance's own addresses on 3000/3001
		// (the tasks are awsvpc): the checks are refused.
		for _, d := range h.TargetHealthDescriptions {
			if d.TargetHealth.State != elbtypes.TargetHealthStateEnumUnhealthy || d.TargetHealth.Reason != elbtypes.TargetHealthReasonEnumFailedHealthChecks {
				t.Errorf("instance target %s:%d: %s %s, want unhealthy Target.FailedHealthChecks", aws.ToString(d.Target.Id), aws.ToInt32(d.Target.Port),
					d.TargetHealth.State, d.TargetHealth.Reason)
			}
		}
	})
}
