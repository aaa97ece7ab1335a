package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestRunTaskInFullSubnet, through the AWS SDK for Go v2: RunTask of an
// awsvpc task into a subnet with no free address is accepted (HTTP 200,
// the task, no failures), and the task stops in PROVISIONING
// (TaskFailedToStart, InsufficientFreeAddressesInSubnet) without an ENI,
// as on AWS; a task that found an address runs. Before round twenty-one
// ecsnet refused the whole RunTask call.
func TestRunTaskInFullSubnet(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	vpc := defaultVpcOf(t, c.ec2)
	// A /28 holds 11 usable addresses: take 10 of them.
	sub, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.VpcId, CidrBlock: aws.String("172.31.200.0/28"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	subnet := aws.ToString(sub.Subnet.SubnetId)
	var enis []string
	for range 10 {
		n, err := c.ec2.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &subnet})
		must(t, err)
		enis = append(enis, aws.ToString(n.NetworkInterface.NetworkInterfaceId))
	}
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx")}}})
	must(t, err)
	run := func(count int32) *ecs.RunTaskOutput {
		out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"), LaunchType: ecstypes.LaunchTypeFargate,
			Count: aws.Int32(count), NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
				Subnets: []string{subnet}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}})
		must(t, err)
		return out
	}
	out := run(2)
	if len(out.Tasks) != 2 || len(out.Failures) != 0 {
		t.Fatalf("RunTask answered %d tasks and failures %+v, want 2 tasks and none", len(out.Tasks), out.Failures)
	}
	const reason = "InsufficientFreeAddressesInSubnet: The specified subnet does not have enough free addresses to satisfy the request."
	var placed, failed string
	for _, tk := range out.Tasks {
		if aws.ToString(tk.StoppedReason) == reason {
			failed = aws.ToString(tk.TaskArn)
		} else {
			placed = aws.ToString(tk.TaskArn)
		}
	}
	if placed == "" || failed == "" {
		t.Fatalf("tasks %+v: want one placed and one stopped for the full subnet", out.Tasks)
	}
	d, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: []string{failed, placed}})
	must(t, err)
	for _, tk := range d.Tasks {
		if aws.ToString(tk.TaskArn) == failed {
			if tk.StopCode != ecstypes.TaskStopCodeTaskFailedToStart || aws.ToString(tk.DesiredStatus) != "STOPPED" || len(tk.Attachments) != 0 && len(tk.Attachments[0].Details) != 0 {
				t.Errorf("the task without an address: stop code %s, desired %s, attachments %+v", tk.StopCode, aws.ToString(tk.DesiredStatus), tk.Attachments)
			}
		} else if aws.ToString(tk.DesiredStatus) != "RUNNING" || len(tk.Attachments) == 0 {
			t.Errorf("the task with an address: desired %s, attachments %+v", aws.ToString(tk.DesiredStatus), tk.Attachments)
		}
	}
	// An address freed: the next task gets it.
	_, err = c.ec2.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: &enis[0]})
	must(t, err)
	if out := run(1); aws.ToString(out.Tasks[0].StoppedReason) != "" {
		t.Errorf("a task after an address was freed stopped: %s", aws.ToString(out.Tasks[0].StoppedReason))
	}
}

// TestExternalServiceRefusesTaskDefinition, through the AWS SDK for Go v2:
// a service with the EXTERNAL deployment controller takes no task
// definition (its task sets have them): "TaskDefinition must be blank".
func TestExternalServiceRefusesTaskDefinition(t *testing.T) {
	t.Parallel()
	c := sdkClients(newAccount(t, nil).URL)
	_, err := c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(128)}}})
	must(t, err)
	ext := &ecstypes.DeploymentController{Type: ecstypes.DeploymentControllerTypeExternal}
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("s"), TaskDefinition: aws.String("web"),
		DeploymentController: ext, DesiredCount: aws.Int32(1)})
	wantLimitError(t, "an EXTERNAL service with a task definition", err, "InvalidParameterException", "TaskDefinition must be blank")
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("s"), DeploymentController: ext, DesiredCount: aws.Int32(1)})
	must(t, err)
}
