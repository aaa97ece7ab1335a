package server_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
)

// TestDaemonTasks drives ECS Managed Daemons' tasks through the Go SDK: a
// daemon runs one real task on each instance of its Managed Instances
// capacity provider (ListTasks --daemon-name, DescribeTasks), an instance
// launched for an application task gets the daemon's task first, the
// daemon task definition stays out of the task definition APIs, a
// stopped daemon task is started again, UpdateDaemon replaces the tasks
// with the new revision's and DeleteDaemon stops them. Before round
// thirty-three the counts were derived and ListTasks had no daemon task.
func TestDaemonTasks(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	cpARN := managedInstancesProvider(t, es)
	var tdARNs []string
	for _, image := range []string{"agent:1", "agent:2"} {
		out, err := c.ecs.RegisterDaemonTaskDefinition(ctx, &ecs.RegisterDaemonTaskDefinitionInput{Family: aws.String("agent"),
			ContainerDefinitions: []ecstypes.DaemonContainerDefinition{{Name: aws.String("agent"), Image: aws.String(image), Memory: aws.Int32(128)}}})
		must(t, err)
		tdARNs = append(tdARNs, aws.ToString(out.DaemonTaskDefinitionArn))
	}
	// A host-mode application on port 80: a second one needs an instance
	// of its own.
	_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeHost,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(256),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(80), HostPort: aws.Int32(80)}}}},
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityManagedInstances}})
	must(t, err)
	runWeb := func() ecstypes.Task {
		t.Helper()
		out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"),
			CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("mi"), Weight: 1}}})
		must(t, err)
		if len(out.Tasks) != 1 {
			t.Fatalf("RunTask web: %+v", out.Failures)
		}
		return out.Tasks[0]
	}
	first := runWeb()

	created, err := c.ecs.CreateDaemon(ctx, &ecs.CreateDaemonInput{DaemonName: aws.String("monitor"), ClusterArn: aws.String("c"),
		DaemonTaskDefinitionArn: aws.String(tdARNs[0]), CapacityProviderArns: []string{cpARN}})
	must(t, err)
	daemonARN := aws.ToString(created.DaemonArn)

	daemonTasks := func(desired ecstypes.DesiredStatus) []ecstypes.Task {
		t.Helper()
		list, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), DaemonName: aws.String("monitor"), DesiredStatus: desired})
		must(t, err)
		if len(list.TaskArns) == 0 {
			return nil
		}
		out, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: list.TaskArns})
		must(t, err)
		return out.Tasks
	}
	running := func(td string, n int) func() bool {
		return func() bool {
			tasks := daemonTasks(ecstypes.DesiredStatusRunning)
			if len(tasks) != n {
				return false
			}
			for _, tk := range tasks {
				if aws.ToString(tk.TaskDefinitionArn) != td || aws.ToString(tk.LastStatus) != "RUNNING" {
					return false
				}
			}
			return true
		}
	}
	eventually(t, "the daemon's task runs on the instance", running(tdARNs[0], 1))
	tk := daemonTasks(ecstypes.DesiredStatusRunning)[0]
	if aws.ToString(tk.Group) != "daemon:monitor" || tk.LaunchType != ecstypes.LaunchTypeManagedInstances ||
		aws.ToString(tk.CapacityProviderName) != "mi" || aws.ToString(tk.ContainerInstanceArn) != aws.ToString(first.ContainerInstanceArn) ||
		len(tk.Containers) != 1 || aws.ToString(tk.Containers[0].Image) != "agent:1" {
		t.Errorf("the daemon task: group %s launch %s provider %s instance %s (want %s) containers %+v", aws.ToString(tk.Group), tk.LaunchType,
			aws.ToString(tk.CapacityProviderName), aws.ToString(tk.ContainerInstanceArn), aws.ToString(first.ContainerInstanceArn), tk.Containers)
	}
	eventually(t, "DescribeDaemon counts the running task", func() bool {
		d, err := c.ecs.DescribeDaemon(ctx, &ecs.DescribeDaemonInput{DaemonArn: aws.String(daemonARN)})
		must(t, err)
		return len(d.Daemon.CurrentRevisions) == 1 && d.Daemon.CurrentRevisions[0].TotalRunningCount == 1
	})

	// The daemon task definition is no task definition.
	tds, err := c.ecs.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsInput{})
	must(t, err)
	fams, err := c.ecs.ListTaskDefinitionFamilies(ctx, &ecs.ListTaskDefinitionFamiliesInput{})
	must(t, err)
	if len(tds.TaskDefinitionArns) != 1 || slices.Contains(fams.Families, "agent") {
		t.Errorf("ListTaskDefinitions %v, families %v: the daemon task definition is listed", tds.TaskDefinitionArns, fams.Families)
	}
	_, err = c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(tdARNs[0])})
	wantCode(t, err, "ClientException")
	_, err = c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String(tdARNs[0]),
		CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("mi"), Weight: 1}}})
	wantCode(t, err, "ClientException")
	byFamily, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), Family: aws.String("agent")})
	must(t, err)
	if len(byFamily.TaskArns) != 0 {
		t.Errorf("ListTasks --family agent: %v", byFamily.TaskArns)
	}

	// A second application task needs a new instance: the daemon's task
	// is on it as soon as RunTask answers.
	second := runWeb()
	if aws.ToString(second.ContainerInstanceArn) == aws.ToString(first.ContainerInstanceArn) {
		t.Fatalf("the second web task went on the first instance")
	}
	var onSecond bool
	for _, tk := range daemonTasks(ecstypes.DesiredStatusRunning) {
		onSecond = onSecond || aws.ToString(tk.ContainerInstanceArn) == aws.ToString(second.ContainerInstanceArn)
	}
	if !onSecond {
		t.Errorf("no daemon task on the new instance when RunTask answered")
	}
	eventually(t, "a daemon task on each instance", running(tdARNs[0], 2))

	// A stopped daemon task is started again.
	victim := aws.ToString(daemonTasks(ecstypes.DesiredStatusRunning)[0].TaskArn)
	_, err = c.ecs.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("c"), Task: aws.String(victim)})
	must(t, err)
	eventually(t, "the stopped daemon task is replaced", func() bool {
		tasks := daemonTasks(ecstypes.DesiredStatusRunning)
		return running(tdARNs[0], 2)() && !slices.ContainsFunc(tasks, func(tk ecstypes.Task) bool { return aws.ToString(tk.TaskArn) == victim })
	})

	// UpdateDaemon replaces the tasks with the new revision's.
	up, err := c.ecs.UpdateDaemon(ctx, &ecs.UpdateDaemonInput{DaemonArn: aws.String(daemonARN), DaemonTaskDefinitionArn: aws.String(tdARNs[1]),
		CapacityProviderArns: []string{cpARN}, DeploymentConfiguration: &ecstypes.DaemonDeploymentConfiguration{DrainPercent: aws.Float64(50)}})
	must(t, err)
	eventually(t, "the new revision's tasks run", running(tdARNs[1], 2))
	eventually(t, "the update's deployment succeeds", func() bool {
		out, err := c.ecs.DescribeDaemonDeployments(ctx, &ecs.DescribeDaemonDeploymentsInput{DaemonDeploymentArns: []string{aws.ToString(up.DeploymentArn)}})
		must(t, err)
		return len(out.DaemonDeployments) == 1 && out.DaemonDeployments[0].Status == ecstypes.DaemonDeploymentStatusSuccessful
	})
	var replaced int
	for _, tk := range daemonTasks(ecstypes.DesiredStatusStopped) {
		if aws.ToString(tk.TaskDefinitionArn) == tdARNs[0] && strings.HasPrefix(aws.ToString(tk.StoppedReason), "Deployment replaced task") {
			replaced++
		}
	}
	if replaced != 2 {
		t.Errorf("%d tasks of the first revision replaced, want 2", replaced)
	}

	// DeleteDaemon stops its tasks.
	_, err = c.ecs.DeleteDaemon(ctx, &ecs.DeleteDaemonInput{DaemonArn: aws.String(daemonARN)})
	must(t, err)
	eventually(t, "the deleted daemon's tasks stop", func() bool { return len(daemonTasks(ecstypes.DesiredStatusRunning)) == 0 })
	eventually(t, "the deleted daemon is gone", func() bool {
		_, err := c.ecs.DescribeDaemon(ctx, &ecs.DescribeDaemonInput{DaemonArn: aws.String(daemonARN)})
		return err != nil
	})
}

// GetCheckerIpRanges answers the health checkers' IPv6 ranges too
// (ip-ranges.json's ROUTE53_HEALTHCHECKS ipv6_prefixes); before round
// thirty-three it answered IPv4 only.
func TestCheckerIPRangesIPv6(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	out, err := route53Client(em.URL).GetCheckerIpRanges(ctx, &route53.GetCheckerIpRangesInput{})
	must(t, err)
	var v6 []string
	for _, r := range out.CheckerIpRanges {
		if p, err := netip.ParsePrefix(r); err == nil && p.Addr().Is6() {
			v6 = append(v6, r)
		}
	}
	if len(v6) != 16 || !slices.Contains(v6, "2600:1f18:7fff:f800::/56") || !slices.Contains(v6, "2a05:d018:fff:f800::/56") {
		t.Errorf("IPv6 checker ranges %v", v6)
	}
}

// An endpoint policy that is not a JSON object is refused, on create and
// on modify (InvalidPolicyDocument); DNS hostnames cannot be turned on
// in a VPC whose DNS support is off. Before round thirty-three both were
// taken.
func TestEndpointPolicyAndDNSHostnames(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.33.0.0/16")})
	must(t, err)
	id := vpc.Vpc.VpcId
	_, err = c.ec2.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: id, ServiceName: aws.String("com.amazonaws.us-east-1.s3"),
		PolicyDocument: aws.String(`{"Statement": [`)})
	emu32Err(t, "a policy cut short", err, "InvalidPolicyDocument", "The Policy Document is not valid. Syntax error at position (1,15)")
	_, err = c.ec2.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: id, ServiceName: aws.String("com.amazonaws.us-east-1.s3"),
		PolicyDocument: aws.String(`"allow everything"`)})
	emu32Err(t, "a policy that is a string", err, "InvalidPolicyDocument", "")
	ep, err := c.ec2.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: id, ServiceName: aws.String("com.amazonaws.us-east-1.s3")})
	must(t, err)
	_, err = c.ec2.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: ep.VpcEndpoint.VpcEndpointId,
		PolicyDocument: aws.String("{\n  \"Statement\": nope\n}")})
	emu32Err(t, "a modified policy with a bare word", err, "InvalidPolicyDocument", "The Policy Document is not valid. Syntax error at position (2,17)")
	_, err = c.ec2.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: ep.VpcEndpoint.VpcEndpointId,
		PolicyDocument: aws.String(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`)})
	must(t, err)

	_, err = c.ec2.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: id, EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(false)}})
	must(t, err)
	_, err = c.ec2.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: id, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	emu32Err(t, "hostnames without DNS support", err, "InvalidParameterValue", "")
	_, err = c.ec2.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: id, EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	_, err = c.ec2.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: id, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
}
