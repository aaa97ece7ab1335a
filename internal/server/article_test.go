package server_test

import (
	"encoding/base64"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
)

// article is the article's system, built through the SDK.
type article struct {
	c                   clients
	vpc, subnet, igw    string
	instanceSG, taskSG  string
	instance            string
	task, taskENI       string
	taskIP, instancePub string
}

// buildArticle builds the article's system from nothing, as the article's
// author did: a VPC with a public subnet routed to an internet gateway,
// two security groups, an m5.large whose user data joins the cluster, an
// awsvpc task definition with port 3000 and a service on EC2.
func buildArticle(t *testing.T, url string) *article {
	t.Helper()
	a := &article{c: sdkClients(url)}
	e := a.c.ec2
	vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	a.vpc = aws.ToString(vpc.Vpc.VpcId)
	_, err = e.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: &a.vpc, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	sub, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &a.vpc, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	a.subnet = aws.ToString(sub.Subnet.SubnetId)
	_, err = e.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: &a.subnet, MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	igw, err := e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)
	a.igw = aws.ToString(igw.InternetGateway.InternetGatewayId)
	_, err = e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &a.igw, VpcId: &a.vpc})
	must(t, err)
	rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &a.vpc})
	must(t, err)
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt.RouteTable.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &a.igw})
	must(t, err)
	_, err = e.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: rt.RouteTable.RouteTableId, SubnetId: &a.subnet})
	must(t, err)
	sg := func(name string, port int32) string {
		g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(name), VpcId: &a.vpc})
		must(t, err)
		_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: []ec2types.IpPermission{{
			IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}},
		}}})
		must(t, err)
		return aws.ToString(g.GroupId)
	}
	a.instanceSG, a.taskSG = sg("instance-sg", 22), sg("task-sg", 3000)

	s := a.c.ecs
	_, err = s.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("demo")})
	must(t, err)
	userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"))
	run, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeM5Large,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: &a.subnet, SecurityGroupIds: []string{a.instanceSG}, UserData: &userData, IamInstanceProfile: ecsInstanceProfile(t, url)})
	must(t, err)
	a.instance = aws.ToString(run.Instances[0].InstanceId)
	eventually(t, "the instance registers with the cluster", func() bool {
		out, err := s.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("demo")})
		return err == nil && len(out.ContainerInstanceArns) == 1
	})
	_, err = s.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityEc2},
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("public.ecr.aws/docker/library/node:20"),
			Memory: aws.Int32(512), PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(3000)}}}},
	})
	must(t, err)
	_, err = s.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeEc2, NetworkConfiguration: a.network(false)})
	must(t, err)
	eventually(t, "the service's task runs", func() bool {
		l, err := s.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("demo"), ServiceName: aws.String("web")})
		if err != nil || len(l.TaskArns) != 1 {
			return false
		}
		d, err := s.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: l.TaskArns})
		if err != nil || len(d.Tasks) != 1 || aws.ToString(d.Tasks[0].LastStatus) != "RUNNING" {
			return false
		}
		a.task = l.TaskArns[0]
		return true
	})
	return a
}

func (a *article) network(public bool) *ecstypes.NetworkConfiguration {
	assign := ecstypes.AssignPublicIpDisabled
	if public {
		assign = ecstypes.AssignPublicIpEnabled
	}
	return &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
		Subnets: []string{a.subnet}, SecurityGroups: []string{a.taskSG}, AssignPublicIp: assign}}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantAPIError(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v is not an AWS API error", err)
	}
	if ae.ErrorCode() != code || ae.ErrorMessage() != message {
		t.Errorf("got %s: %q, want %s: %q", ae.ErrorCode(), ae.ErrorMessage(), code, message)
	}
}

func TestArticleSDK(t *testing.T) {
	em := newEmulator(t, nil)
	a := buildArticle(t, em.URL)
	e, s := a.c.ec2, a.c.ecs

	// describe-tasks: the ENI attachment, with a private address in the subnet.
	d, err := s.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: []string{a.task}})
	must(t, err)
	tk := d.Tasks[0]
	if len(tk.Attachments) != 1 || aws.ToString(tk.Attachments[0].Type) != "ElasticNetworkInterface" || aws.ToString(tk.Attachments[0].Status) != "ATTACHED" {
		t.Fatalf("attachments = %+v", tk.Attachments)
	}
	details := map[string]string{}
	var names []string
	for _, kv := range tk.Attachments[0].Details {
		details[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
		names = append(names, aws.ToString(kv.Name))
	}
	if want := []string{"subnetId", "networkInterfaceId", "macAddress", "privateDnsName", "privateIPv4Address"}; !slices.Equal(names, want) {
		t.Errorf("attachment details %v, want %v", names, want)
	}
	a.taskENI, a.taskIP = details["networkInterfaceId"], details["privateIPv4Address"]
	if ip, err := netip.ParseAddr(a.taskIP); err != nil || !netip.MustParsePrefix("10.0.1.0/24").Contains(ip) || details["subnetId"] != a.subnet {
		t.Errorf("task address %q in %s, want one in %s (10.0.1.0/24)", a.taskIP, details["subnetId"], a.subnet)
	}
	if ni := tk.Containers[0].NetworkInterfaces; len(ni) != 1 || aws.ToString(ni[0].PrivateIpv4Address) != a.taskIP ||
		aws.ToString(ni[0].AttachmentId) != aws.ToString(tk.Attachments[0].Id) {
		t.Errorf("containers[0].networkInterfaces = %+v", ni)
	}
	if tk.LaunchType != ecstypes.LaunchTypeEc2 || aws.ToString(tk.ContainerInstanceArn) == "" {
		t.Errorf("launchType %q, containerInstanceArn %q", tk.LaunchType, aws.ToString(tk.ContainerInstanceArn))
	}

	// describe-network-interfaces: the task ENI attached to the instance at
	// device index >= 1, no public IP; the primary ENI with the public IP.
	n, err := e.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{a.taskENI}})
	must(t, err)
	eni := n.NetworkInterfaces[0]
	if eni.Attachment == nil || aws.ToString(eni.Attachment.InstanceId) != a.instance || aws.ToInt32(eni.Attachment.DeviceIndex) < 1 {
		t.Errorf("task ENI attachment = %+v, want instance %s at device index >= 1", eni.Attachment, a.instance)
	}
	if eni.Association != nil || !aws.ToBool(eni.RequesterManaged) || aws.ToString(eni.PrivateIpAddress) != a.taskIP ||
		len(eni.Groups) != 1 || aws.ToString(eni.Groups[0].GroupId) != a.taskSG || aws.ToString(eni.Groups[0].GroupName) != "task-sg" {
		t.Errorf("task ENI = association %+v, requester-managed %v, address %s, groups %+v", eni.Association, aws.ToBool(eni.RequesterManaged),
			aws.ToString(eni.PrivateIpAddress), eni.Groups)
	}
	if !strings.HasPrefix(aws.ToString(eni.Description), "arn:aws:ecs:us-east-1:123456789012:attachment/") {
		t.Errorf("task ENI description %q", aws.ToString(eni.Description))
	}
	p, err := e.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{
		{Name: aws.String("attachment.instance-id"), Values: []string{a.instance}},
		{Name: aws.String("attachment.device-index"), Values: []string{"0"}},
	}})
	must(t, err)
	if len(p.NetworkInterfaces) != 1 || p.NetworkInterfaces[0].Association == nil || aws.ToString(p.NetworkInterfaces[0].Association.PublicIp) == "" {
		t.Fatalf("primary ENI = %+v", p.NetworkInterfaces)
	}
	a.instancePub = aws.ToString(p.NetworkInterfaces[0].Association.PublicIp)
	inst, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{a.instance}})
	must(t, err)
	if got := aws.ToString(inst.Reservations[0].Instances[0].PublicIpAddress); got != a.instancePub {
		t.Errorf("instance public IP %s, primary ENI's %s", got, a.instancePub)
	}
	if nis := inst.Reservations[0].Instances[0].NetworkInterfaces; len(nis) != 2 {
		t.Errorf("DescribeInstances lists %d network interfaces, want 2 (primary and task)", len(nis))
	}

	// run-task assignPublicIp=ENABLED on EC2: AWS's exact error, nothing left behind.
	before := snapshotENIsAndTasks(t, a)
	_, err = s.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"), LaunchType: ecstypes.LaunchTypeEc2,
		NetworkConfiguration: a.network(true)})
	wantAPIError(t, err, "InvalidParameterException", "Assign public IP is not supported for this launch type.")
	if after := snapshotENIsAndTasks(t, a); !slices.Equal(before, after) {
		t.Errorf("the failed RunTask changed things:\nbefore %v\nafter  %v", before, after)
	}

	// An m5.large takes 2 awsvpc tasks without trunking: the second fits,
	// the third fails with RESOURCE:ENI.
	r2, err := s.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"), LaunchType: ecstypes.LaunchTypeEc2, NetworkConfiguration: a.network(false)})
	must(t, err)
	if len(r2.Tasks) != 1 || len(r2.Failures) != 0 {
		t.Fatalf("second task: %d tasks, failures %+v", len(r2.Tasks), r2.Failures)
	}
	r3, err := s.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"), LaunchType: ecstypes.LaunchTypeEc2, NetworkConfiguration: a.network(false)})
	must(t, err)
	if len(r3.Tasks) != 0 || len(r3.Failures) != 1 || aws.ToString(r3.Failures[0].Reason) != "RESOURCE:ENI" {
		t.Fatalf("third task: %d tasks, failures %+v, want RESOURCE:ENI", len(r3.Tasks), r3.Failures)
	}

	// Network Insights: internet gateway -> instance:3000 is not found and
	// names the instance's security group; internet gateway -> task ENI is
	// not found because the ENI has no public IP.
	an := analyze(t, e, a.igw, a.instance)
	if aws.ToBool(an.NetworkPathFound) {
		t.Errorf("igw -> instance:3000: path found")
	}
	if x := explanation(an, "ENI_SG_RULES_MISMATCH"); x == nil || !slices.ContainsFunc(x.SecurityGroups, func(c ec2types.AnalysisComponent) bool {
		return aws.ToString(c.Id) == a.instanceSG
	}) {
		t.Errorf("igw -> instance:3000: explanations %s, want ENI_SG_RULES_MISMATCH naming %s", codes(an), a.instanceSG)
	}
	if explanation(an, "ECS_PORT_ON_TASK_ENI") == nil {
		t.Errorf("igw -> instance:3000: explanations %s, want ecsnet's ECS_PORT_ON_TASK_ENI too", codes(an))
	}
	if len(an.ForwardPathComponents) == 0 || aws.ToString(an.ForwardPathComponents[0].Component.Id) != a.igw {
		t.Errorf("igw -> instance:3000: the forward path does not start at the internet gateway")
	}
	an = analyze(t, e, a.igw, a.taskENI)
	if aws.ToBool(an.NetworkPathFound) || explanation(an, "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS") == nil {
		t.Errorf("igw -> task ENI:3000: found %v, explanations %s; want not found with IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", aws.ToBool(an.NetworkPathFound), codes(an))
	}
}

func snapshotENIsAndTasks(t *testing.T, a *article) []string {
	t.Helper()
	var out []string
	n, err := a.c.ec2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{})
	must(t, err)
	for _, x := range n.NetworkInterfaces {
		out = append(out, aws.ToString(x.NetworkInterfaceId)+" "+string(x.Status))
	}
	for _, st := range []ecstypes.DesiredStatus{ecstypes.DesiredStatusRunning, ecstypes.DesiredStatusStopped} {
		l, err := a.c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("demo"), DesiredStatus: st})
		must(t, err)
		out = append(out, l.TaskArns...)
	}
	slices.Sort(out)
	return out
}

// analyze creates a path, starts an analysis, checks that it starts
// "running" and waits for it to succeed.
func analyze(t *testing.T, e *ec2.Client, src, dst string) ec2types.NetworkInsightsAnalysis {
	t.Helper()
	return analyzePort(t, e, src, dst, 3000)
}

// analyzePort is analyze to another destination port.
func analyzePort(t *testing.T, e *ec2.Client, src, dst string, port int32) ec2types.NetworkInsightsAnalysis {
	t.Helper()
	p, err := e.CreateNetworkInsightsPath(ctx, &ec2.CreateNetworkInsightsPathInput{Source: &src, Destination: &dst,
		DestinationPort: aws.Int32(port), Protocol: ec2types.ProtocolTcp})
	must(t, err)
	s, err := e.StartNetworkInsightsAnalysis(ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: p.NetworkInsightsPath.NetworkInsightsPathId})
	must(t, err)
	if s.NetworkInsightsAnalysis.Status != ec2types.AnalysisStatusRunning {
		t.Fatalf("StartNetworkInsightsAnalysis answered %s, want running", s.NetworkInsightsAnalysis.Status)
	}
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

func explanation(a ec2types.NetworkInsightsAnalysis, code string) *ec2types.Explanation {
	for i := range a.Explanations {
		if aws.ToString(a.Explanations[i].ExplanationCode) == code {
			return &a.Explanations[i]
		}
	}
	return nil
}

func codes(a ec2types.NetworkInsightsAnalysis) []string {
	var out []string
	for _, x := range a.Explanations {
		out = append(out, aws.ToString(x.ExplanationCode))
	}
	return out
}
