package server_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// The AWS SDK for Go v2's waiters (ec2.NewInstanceRunningWaiter,
// ecs.NewServicesStableWaiter, …) against ecsnet: the same acceptors as
// botocore's (scripts/waiters_boto3.py), evaluated by the Go SDK's own
// JMESPath over its decoded structs and its own error matching. Each runs
// to success on a resource made through the API; the ones with failure
// acceptors stop at once on a wrong state.

// Quick polling for the tests: ecsnet steps every 10 ms here.
const (
	waitMin = 10 * time.Millisecond
	waitMax = 50 * time.Millisecond
	waitFor = patience
	// failFor bounds a waiter that must fail on a failure acceptor: it
	// does so at the first poll, long before this.
	failFor = patience
)

// waited fails the test unless err is nil.
func waited(t *testing.T, name string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// waitFailed fails the test unless err is the Go SDK's terminal failure
// ("waiter state transitioned to Failure"), rather than a timeout or an
// error no acceptor names (which the Go SDK returns as it is). via says
// which acceptor must have matched: a state, or the error code.
func waitFailed(t *testing.T, name, via string, err error) {
	t.Helper()
	switch {
	case err == nil:
		t.Fatalf("%s: succeeded, want a failure", name)
	case !strings.Contains(err.Error(), "transitioned to Failure"):
		t.Fatalf("%s: %v, want a terminal failure (%s)", name, err, via)
	}
}

func TestWaitersGoSDKEC2(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)

	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.40.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	waited(t, "VpcExists", ec2.NewVpcExistsWaiter(c.ec2, func(o *ec2.VpcExistsWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpcID}}, waitFor))
	waited(t, "VpcAvailable", ec2.NewVpcAvailableWaiter(c.ec2, func(o *ec2.VpcAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpcID}}, waitFor))
	sub, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.40.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	if err != nil {
		t.Fatal(err)
	}
	subnet := aws.ToString(sub.Subnet.SubnetId)
	waited(t, "SubnetAvailable", ec2.NewSubnetAvailableWaiter(c.ec2, func(o *ec2.SubnetAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{subnet}}, waitFor))
	sg, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("w"), Description: aws.String("w"), VpcId: aws.String(vpcID)})
	if err != nil {
		t.Fatal(err)
	}
	waited(t, "SecurityGroupExists", ec2.NewSecurityGroupExistsWaiter(c.ec2, func(o *ec2.SecurityGroupExistsWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{aws.ToString(sg.GroupId)}}, waitFor))
	igw, err := c.ec2.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	if err != nil {
		t.Fatal(err)
	}
	waited(t, "InternetGatewayExists", ec2.NewInternetGatewayExistsWaiter(c.ec2, func(o *ec2.InternetGatewayExistsWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{aws.ToString(igw.InternetGateway.InternetGatewayId)}}, waitFor))
	if _, err := c.ec2.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("w")}); err != nil {
		t.Fatal(err)
	}
	waited(t, "KeyPairExists", ec2.NewKeyPairExistsWaiter(c.ec2, func(o *ec2.KeyPairExistsWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{"w"}}, waitFor))
	eni, err := c.ec2.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: aws.String(subnet)})
	if err != nil {
		t.Fatal(err)
	}
	waited(t, "NetworkInterfaceAvailable", ec2.NewNetworkInterfaceAvailableWaiter(c.ec2, func(o *ec2.NetworkInterfaceAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{aws.ToString(eni.NetworkInterface.NetworkInterfaceId)}}, waitFor))
	waitFailed(t, "NetworkInterfaceAvailable on a missing ENI", "InvalidNetworkInterfaceID.NotFound",
		ec2.NewNetworkInterfaceAvailableWaiter(c.ec2, func(o *ec2.NetworkInterfaceAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
			Wait(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"eni-0123456789abcdef0"}}, failFor))

	// A public NAT gateway needs the VPC's internet gateway attached (else
	// it fails: Gateway.NotAttached).
	if _, err := c.ec2.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: aws.String(vpcID)}); err != nil {
		t.Fatal(err)
	}
	eip, err := c.ec2.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
	if err != nil {
		t.Fatal(err)
	}
	nat, err := c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnet), AllocationId: eip.AllocationId})
	if err != nil {
		t.Fatal(err)
	}
	natIn := &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{aws.ToString(nat.NatGateway.NatGatewayId)}}
	waited(t, "NatGatewayAvailable", ec2.NewNatGatewayAvailableWaiter(c.ec2, func(o *ec2.NatGatewayAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, natIn, waitFor))
	if _, err := c.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: nat.NatGateway.NatGatewayId}); err != nil {
		t.Fatal(err)
	}
	waited(t, "NatGatewayDeleted", ec2.NewNatGatewayDeletedWaiter(c.ec2, func(o *ec2.NatGatewayDeletedWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, natIn, waitFor))
	waitFailed(t, "NatGatewayAvailable on a deleted NAT gateway", "deleted",
		ec2.NewNatGatewayAvailableWaiter(c.ec2, func(o *ec2.NatGatewayAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
			Wait(ctx, natIn, failFor))
	waited(t, "NatGatewayDeleted on a missing NAT gateway (NatGatewayNotFound)", ec2.NewNatGatewayDeletedWaiter(c.ec2, func(o *ec2.NatGatewayDeletedWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{"nat-0123456789abcdef0"}}, waitFor))

	run, err := c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: aws.String(subnet)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(run.Instances[0].InstanceId)
	inst := &ec2.DescribeInstancesInput{InstanceIds: []string{id}}
	waited(t, "InstanceExists", ec2.NewInstanceExistsWaiter(c.ec2, func(o *ec2.InstanceExistsWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, inst, waitFor))
	waited(t, "InstanceRunning", ec2.NewInstanceRunningWaiter(c.ec2, func(o *ec2.InstanceRunningWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, inst, waitFor))
	status := &ec2.DescribeInstanceStatusInput{InstanceIds: []string{id}}
	waited(t, "InstanceStatusOk", ec2.NewInstanceStatusOkWaiter(c.ec2, func(o *ec2.InstanceStatusOkWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, status, waitFor))
	waited(t, "SystemStatusOk", ec2.NewSystemStatusOkWaiter(c.ec2, func(o *ec2.SystemStatusOkWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, status, waitFor))
	// A Linux instance has no Windows password: PasswordData is "", and
	// PasswordDataAvailable polls until its time is up, as on AWS.
	pwd, err := c.ec2.GetPasswordData(ctx, &ec2.GetPasswordDataInput{InstanceId: aws.String(id)})
	if err != nil || pwd.PasswordData == nil || *pwd.PasswordData != "" || aws.ToString(pwd.InstanceId) != id {
		t.Fatalf("GetPasswordData: %+v %v, want an empty PasswordData", pwd, err)
	}
	err = ec2.NewPasswordDataAvailableWaiter(c.ec2, func(o *ec2.PasswordDataAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.GetPasswordDataInput{InstanceId: aws.String(id)}, 200*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "exceeded max wait time") && !strings.Contains(err.Error(), "context deadline exceeded") {
		t.Fatalf("PasswordDataAvailable on a Linux instance: %v, want it to poll to its end", err)
	}
	az := aws.ToString(run.Instances[0].Placement.AvailabilityZone)
	vol, err := c.ec2.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String(az), Size: aws.Int32(8)})
	if err != nil {
		t.Fatal(err)
	}
	vols := &ec2.DescribeVolumesInput{VolumeIds: []string{aws.ToString(vol.VolumeId)}}
	waited(t, "VolumeAvailable", ec2.NewVolumeAvailableWaiter(c.ec2, func(o *ec2.VolumeAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, vols, waitFor))
	if _, err := c.ec2.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: vol.VolumeId, InstanceId: aws.String(id), Device: aws.String("/dev/sdf")}); err != nil {
		t.Fatal(err)
	}
	waited(t, "VolumeInUse", ec2.NewVolumeInUseWaiter(c.ec2, func(o *ec2.VolumeInUseWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, vols, waitFor))
	snap, err := c.ec2.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: vol.VolumeId})
	if err != nil {
		t.Fatal(err)
	}
	waited(t, "SnapshotCompleted", ec2.NewSnapshotCompletedWaiter(c.ec2, func(o *ec2.SnapshotCompletedWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{aws.ToString(snap.SnapshotId)}}, waitFor))
	img, err := c.ec2.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: aws.String(id), Name: aws.String("waiters-image")})
	if err != nil {
		t.Fatal(err)
	}
	imgs := &ec2.DescribeImagesInput{ImageIds: []string{aws.ToString(img.ImageId)}}
	waited(t, "ImageExists", ec2.NewImageExistsWaiter(c.ec2, func(o *ec2.ImageExistsWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, imgs, waitFor))
	waited(t, "ImageAvailable", ec2.NewImageAvailableWaiter(c.ec2, func(o *ec2.ImageAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, imgs, waitFor))
	if _, err := c.ec2.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: vol.VolumeId}); err != nil {
		t.Fatal(err)
	}
	waited(t, "VolumeAvailable (detached)", ec2.NewVolumeAvailableWaiter(c.ec2, func(o *ec2.VolumeAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, vols, waitFor))
	if _, err := c.ec2.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: vol.VolumeId}); err != nil {
		t.Fatal(err)
	}
	waited(t, "VolumeDeleted", ec2.NewVolumeDeletedWaiter(c.ec2, func(o *ec2.VolumeDeletedWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, vols, waitFor))

	if _, err := c.ec2.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	waited(t, "InstanceStopped", ec2.NewInstanceStoppedWaiter(c.ec2, func(o *ec2.InstanceStoppedWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, inst, waitFor))
	if _, err := c.ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	waited(t, "InstanceTerminated", ec2.NewInstanceTerminatedWaiter(c.ec2, func(o *ec2.InstanceTerminatedWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, inst, waitFor))
	waitFailed(t, "InstanceRunning on a terminated instance", "terminated",
		ec2.NewInstanceRunningWaiter(c.ec2, func(o *ec2.InstanceRunningWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
			Wait(ctx, inst, failFor))

	peer, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.41.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	pcx, err := c.ec2.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(vpcID), PeerVpcId: peer.Vpc.VpcId})
	if err != nil {
		t.Fatal(err)
	}
	pcxIn := &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{aws.ToString(pcx.VpcPeeringConnection.VpcPeeringConnectionId)}}
	waited(t, "VpcPeeringConnectionExists", ec2.NewVpcPeeringConnectionExistsWaiter(c.ec2, func(o *ec2.VpcPeeringConnectionExistsWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, pcxIn, waitFor))
	if _, err := c.ec2.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: pcx.VpcPeeringConnection.VpcPeeringConnectionId}); err != nil {
		t.Fatal(err)
	}
	waited(t, "VpcPeeringConnectionDeleted", ec2.NewVpcPeeringConnectionDeletedWaiter(c.ec2, func(o *ec2.VpcPeeringConnectionDeletedWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, pcxIn, waitFor))
}

func TestWaitersGoSDKECSAndELBv2(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil) // the default VPC
	c := sdkClients(em.URL)
	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}})
	if err != nil || len(subs.Subnets) < 2 {
		t.Fatalf("default subnets: %v %v", subs, err)
	}
	a, b := aws.ToString(subs.Subnets[0].SubnetId), aws.ToString(subs.Subnets[1].SubnetId)
	vpcID := aws.ToString(subs.Subnets[0].VpcId)

	// ECS on Fargate.
	if _, err := c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("w")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("w"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("w"), Image: aws.String("nginx"),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(80)}}}}}); err != nil {
		t.Fatal(err)
	}
	net := &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{a}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}
	if _, err := c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("w"), ServiceName: aws.String("s"), TaskDefinition: aws.String("w"),
		DesiredCount: aws.Int32(2), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: net}); err != nil {
		t.Fatal(err)
	}
	svc := &ecs.DescribeServicesInput{Cluster: aws.String("w"), Services: []string{"s"}}
	waited(t, "ServicesStable", ecs.NewServicesStableWaiter(c.ecs, func(o *ecs.ServicesStableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, svc, waitFor))
	missing := &ecs.DescribeServicesInput{Cluster: aws.String("w"), Services: []string{"nope"}}
	waitFailed(t, "ServicesStable on a missing service", "MISSING",
		ecs.NewServicesStableWaiter(c.ecs, func(o *ecs.ServicesStableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).Wait(ctx, missing, failFor))
	waitFailed(t, "ServicesInactive on a missing service", "MISSING",
		ecs.NewServicesInactiveWaiter(c.ecs, func(o *ecs.ServicesInactiveWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).Wait(ctx, missing, failFor))
	rt, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("w"), TaskDefinition: aws.String("w"), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: net})
	if err != nil || len(rt.Tasks) != 1 {
		t.Fatalf("RunTask: %v %v", rt, err)
	}
	tasks := &ecs.DescribeTasksInput{Cluster: aws.String("w"), Tasks: []string{aws.ToString(rt.Tasks[0].TaskArn)}}
	waited(t, "TasksRunning", ecs.NewTasksRunningWaiter(c.ecs, func(o *ecs.TasksRunningWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, tasks, waitFor))
	if _, err := c.ecs.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("w"), Task: rt.Tasks[0].TaskArn}); err != nil {
		t.Fatal(err)
	}
	waited(t, "TasksStopped", ecs.NewTasksStoppedWaiter(c.ecs, func(o *ecs.TasksStoppedWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, tasks, waitFor))
	waitFailed(t, "TasksRunning on a stopped task", "STOPPED",
		ecs.NewTasksRunningWaiter(c.ecs, func(o *ecs.TasksRunningWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).Wait(ctx, tasks, failFor))
	if _, err := c.ecs.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("w"), Service: aws.String("s"), Force: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	waited(t, "ServicesInactive", ecs.NewServicesInactiveWaiter(c.ecs, func(o *ecs.ServicesInactiveWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, svc, waitFor))
	waitFailed(t, "ServicesStable on an inactive service", "INACTIVE",
		ecs.NewServicesStableWaiter(c.ecs, func(o *ecs.ServicesStableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).Wait(ctx, svc, failFor))

	// ELBv2, with a web server (nginx from the user data) as the target.
	run, err := c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: aws.String(a),
		UserData: aws.String("IyEvYmluL2Jhc2gKZG5mIGluc3RhbGwgLXkgbmdpbngKc3lzdGVtY3RsIHN0YXJ0IG5naW54Cg==")}) // dnf install -y nginx; systemctl start nginx
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(run.Instances[0].InstanceId)
	waited(t, "InstanceRunning", ec2.NewInstanceRunningWaiter(c.ec2, func(o *ec2.InstanceRunningWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, waitFor))
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("w"), Subnets: []string{a, b}})
	if err != nil {
		t.Fatal(err)
	}
	lbs := &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{aws.ToString(lb.LoadBalancers[0].LoadBalancerArn)}}
	waited(t, "LoadBalancerExists", elbv2.NewLoadBalancerExistsWaiter(c.elb, func(o *elbv2.LoadBalancerExistsWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, lbs, waitFor))
	waited(t, "LoadBalancerAvailable", elbv2.NewLoadBalancerAvailableWaiter(c.elb, func(o *elbv2.LoadBalancerAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, lbs, waitFor))
	tg, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("w"), Protocol: elbv2types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(vpcID)})
	if err != nil {
		t.Fatal(err)
	}
	tgArn := tg.TargetGroups[0].TargetGroupArn
	if _, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbv2types.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []elbv2types.Action{{Type: elbv2types.ActionTypeEnumForward, TargetGroupArn: tgArn}}}); err != nil {
		t.Fatal(err)
	}
	targets := []elbv2types.TargetDescription{{Id: aws.String(id), Port: aws.Int32(80)}}
	if _, err := c.elb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tgArn, Targets: targets}); err != nil {
		t.Fatal(err)
	}
	health := &elbv2.DescribeTargetHealthInput{TargetGroupArn: tgArn, Targets: targets}
	waited(t, "TargetInService", elbv2.NewTargetInServiceWaiter(c.elb, func(o *elbv2.TargetInServiceWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, health, waitFor))
	if _, err := c.elb.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: tgArn, Targets: targets}); err != nil {
		t.Fatal(err)
	}
	waited(t, "TargetDeregistered", elbv2.NewTargetDeregisteredWaiter(c.elb, func(o *elbv2.TargetDeregisteredWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, health, waitFor))
	if _, err := c.elb.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn}); err != nil {
		t.Fatal(err)
	}
	waited(t, "LoadBalancersDeleted", elbv2.NewLoadBalancersDeletedWaiter(c.elb, func(o *elbv2.LoadBalancersDeletedWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, lbs, waitFor))
}

func TestWaitersGoSDKCloudFormation(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	vpcs, err := c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	if err != nil || len(vpcs.Vpcs) == 0 {
		t.Fatalf("DescribeVpcs: %v %v", vpcs, err)
	}
	vpcID := aws.ToString(vpcs.Vpcs[0].VpcId)
	tmpl := func(tags bool, broken bool) *string {
		group := map[string]any{"Type": "AWS::EC2::SecurityGroup", "Properties": map[string]any{"GroupDescription": "w", "VpcId": vpcID}}
		if tags {
			group["Properties"].(map[string]any)["Tags"] = []map[string]string{{"Key": "k", "Value": "v"}}
		}
		res := map[string]any{"Group": group}
		if broken { // a subnet outside the VPC's CIDR fails to create
			res["Bad"] = map[string]any{"Type": "AWS::EC2::Subnet", "Properties": map[string]any{"VpcId": vpcID, "CidrBlock": "10.99.0.0/24"}}
		}
		b, _ := json.Marshal(map[string]any{"Resources": res})
		return aws.String(string(b))
	}
	stack := &cloudformation.DescribeStacksInput{StackName: aws.String("w")}
	if _, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("w"), TemplateBody: tmpl(false, false)}); err != nil {
		t.Fatal(err)
	}
	waited(t, "StackExists", cloudformation.NewStackExistsWaiter(cf, func(o *cloudformation.StackExistsWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, stack, waitFor))
	waited(t, "StackCreateComplete", cloudformation.NewStackCreateCompleteWaiter(cf, func(o *cloudformation.StackCreateCompleteWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, stack, waitFor))
	if _, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("w"), ChangeSetName: aws.String("cs"), TemplateBody: tmpl(true, false)}); err != nil {
		t.Fatal(err)
	}
	cs := &cloudformation.DescribeChangeSetInput{StackName: aws.String("w"), ChangeSetName: aws.String("cs")}
	waited(t, "ChangeSetCreateComplete", cloudformation.NewChangeSetCreateCompleteWaiter(cf, func(o *cloudformation.ChangeSetCreateCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = waitMin, waitMax
	}).
		Wait(ctx, cs, waitFor))
	if _, err := cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{StackName: aws.String("w"), ChangeSetName: aws.String("cs")}); err != nil {
		t.Fatal(err)
	}
	waited(t, "StackUpdateComplete", cloudformation.NewStackUpdateCompleteWaiter(cf, func(o *cloudformation.StackUpdateCompleteWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, stack, waitFor))
	if _, err := cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("w"), TemplateBody: tmpl(true, true)}); err != nil {
		t.Fatal(err)
	}
	waitFailed(t, "StackUpdateComplete on an update that rolls back", "UPDATE_ROLLBACK_COMPLETE",
		cloudformation.NewStackUpdateCompleteWaiter(cf, func(o *cloudformation.StackUpdateCompleteWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).Wait(ctx, stack, failFor))
	waited(t, "StackRollbackComplete", cloudformation.NewStackRollbackCompleteWaiter(cf, func(o *cloudformation.StackRollbackCompleteWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, stack, waitFor))
	if _, err := cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("w")}); err != nil {
		t.Fatal(err)
	}
	waited(t, "StackDeleteComplete", cloudformation.NewStackDeleteCompleteWaiter(cf, func(o *cloudformation.StackDeleteCompleteWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, stack, waitFor))
	waitFailed(t, "StackCreateComplete on a missing stack", "ValidationError",
		cloudformation.NewStackCreateCompleteWaiter(cf, func(o *cloudformation.StackCreateCompleteWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
			Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("nope")}, failFor))
}

// Auto Scaling's waiters, which the Go SDK still ships (botocore no longer
// does): GroupExists, GroupInService (every group has MinSize instances
// InService), GroupNotExists.
func TestWaitersGoSDKAutoScaling(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}})
	if err != nil || len(subs.Subnets) < 2 {
		t.Fatalf("default subnets: %v %v", subs, err)
	}
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("waiters-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("w"),
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
		MinSize:        aws.Int32(2), MaxSize: aws.Int32(4),
		VPCZoneIdentifier: aws.String(aws.ToString(subs.Subnets[0].SubnetId) + "," + aws.ToString(subs.Subnets[1].SubnetId))}); err != nil {
		t.Fatal(err)
	}
	groups := &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"w"}}
	waited(t, "GroupExists", autoscaling.NewGroupExistsWaiter(c.asg, func(o *autoscaling.GroupExistsWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, groups, waitFor))
	waited(t, "GroupInService", autoscaling.NewGroupInServiceWaiter(c.asg, func(o *autoscaling.GroupInServiceWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, groups, waitFor))
	out, err := c.asg.DescribeAutoScalingGroups(ctx, groups)
	if err != nil {
		t.Fatal(err)
	}
	in := 0
	for _, i := range out.AutoScalingGroups[0].Instances {
		if i.LifecycleState == asgtypes.LifecycleStateInService {
			in++
		}
	}
	if in < 2 {
		t.Fatalf("GroupInService returned with %d instances InService, want 2", in)
	}
	if _, err := c.asg.DeleteAutoScalingGroup(ctx, &autoscaling.DeleteAutoScalingGroupInput{AutoScalingGroupName: aws.String("w"), ForceDelete: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	waited(t, "GroupNotExists", autoscaling.NewGroupNotExistsWaiter(c.asg, func(o *autoscaling.GroupNotExistsWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, groups, waitFor))
}
