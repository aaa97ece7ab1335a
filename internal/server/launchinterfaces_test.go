package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// RunInstances with NetworkInterfaces at device indexes 0 and 1 (the SDK
// for Go v2): each interface is created in its subnet with its groups
// (none: the VPC's default group) and attached at its index; an instance
// launched with more than one interface gets no public IPv4 address, even
// in a subnet that maps one on launch, and asking for one is
// InvalidParameterCombination; a subnet of another zone, a device index
// given twice and more interfaces than the type takes are refused, and
// nothing is launched. A launch template's interfaces launch the same.
func TestRunInstancesSeveralInterfaces(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.8.0.0/16")})
	must(t, err)
	subnet := func(cidr, az string) string {
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(az)})
		must(t, err)
		return aws.ToString(s.Subnet.SubnetId)
	}
	front, back, other := subnet("10.8.1.0/24", "us-east-1a"), subnet("10.8.2.0/24", "us-east-1a"), subnet("10.8.3.0/24", "us-east-1b")
	_, err = e.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: aws.String(front), MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	sg, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web"), VpcId: v.Vpc.VpcId})
	must(t, err)
	run := func(typ ec2types.InstanceType, nis ...ec2types.InstanceNetworkInterfaceSpecification) (*ec2.RunInstancesOutput, error) {
		return e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: typ, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			NetworkInterfaces: nis})
	}
	eth0 := ec2types.InstanceNetworkInterfaceSpecification{DeviceIndex: aws.Int32(0), SubnetId: aws.String(front), Groups: []string{aws.ToString(sg.GroupId)}}
	eth1 := ec2types.InstanceNetworkInterfaceSpecification{DeviceIndex: aws.Int32(1), SubnetId: aws.String(back)}

	out, err := run(ec2types.InstanceTypeM5Large, eth0, eth1)
	must(t, err)
	inst := out.Instances[0]
	d, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(inst.InstanceId)}})
	must(t, err)
	inst = d.Reservations[0].Instances[0]
	if inst.PublicIpAddress != nil {
		t.Errorf("public IPv4 %s on an instance launched with two interfaces", aws.ToString(inst.PublicIpAddress))
	}
	if len(inst.NetworkInterfaces) != 2 {
		t.Fatalf("%d network interfaces", len(inst.NetworkInterfaces))
	}
	for _, n := range inst.NetworkInterfaces {
		idx := aws.ToInt32(n.Attachment.DeviceIndex)
		want, group := front, aws.ToString(sg.GroupId)
		if idx == 1 {
			want, group = back, ""
		}
		if aws.ToString(n.SubnetId) != want || n.Association != nil {
			t.Errorf("device %d: subnet %s, association %+v", idx, aws.ToString(n.SubnetId), n.Association)
		}
		if group != "" && (len(n.Groups) != 1 || aws.ToString(n.Groups[0].GroupId) != group) {
			t.Errorf("device %d: groups %+v", idx, n.Groups)
		}
		if idx == 1 && (len(n.Groups) != 1 || aws.ToString(n.Groups[0].GroupName) != "default") {
			t.Errorf("device 1 without groups: %+v, want the VPC's default group", n.Groups)
		}
	}

	// One interface in the same subnet: the subnet maps a public IPv4 address.
	out, err = run(ec2types.InstanceTypeM5Large, eth0)
	must(t, err)
	d, err = e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(out.Instances[0].InstanceId)}})
	must(t, err)
	if d.Reservations[0].Instances[0].PublicIpAddress == nil {
		t.Error("no public IPv4 with one interface in a subnet that maps one on launch")
	}

	before, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	must(t, err)
	public := eth0
	public.AssociatePublicIpAddress = aws.Bool(true)
	_, err = run(ec2types.InstanceTypeM5Large, public, eth1)
	wantAPIError(t, err, "InvalidParameterCombination", "The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces.")
	far := eth1
	far.SubnetId = aws.String(other)
	_, err = run(ec2types.InstanceTypeM5Large, eth0, far)
	wantAPIError(t, err, "InvalidParameterCombination", "You may not attach a network interface to an instance if they are not in the same availability zone")
	_, err = run(ec2types.InstanceTypeM5Large, eth0, eth1, eth1)
	wantAPIError(t, err, "InvalidParameterValue", "Each network interface requires a unique device index (1 is given twice).")
	eth2 := eth1
	eth2.DeviceIndex = aws.Int32(2)
	_, err = run(ec2types.InstanceTypeT3Micro, eth0, eth1, eth2)
	wantAPIError(t, err, "InvalidParameterValue", "Interface count 3 exceeds the limit for t3.micro")
	after, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	must(t, err)
	if len(after.Reservations) != len(before.Reservations) {
		t.Errorf("a refused launch left instances: %d reservations, %d before", len(after.Reservations), len(before.Reservations))
	}

	// A launch template's second interface.
	_, err = e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("two-nics"), LaunchTemplateData: &ec2types.RequestLaunchTemplateData{
		ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeM5Large,
		NetworkInterfaces: []ec2types.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest{
			{DeviceIndex: aws.Int32(0), SubnetId: aws.String(front), Groups: []string{aws.ToString(sg.GroupId)}},
			{DeviceIndex: aws.Int32(1), SubnetId: aws.String(back)},
		}}})
	must(t, err)
	out, err = e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1), LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateName: aws.String("two-nics")}})
	must(t, err)
	d, err = e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(out.Instances[0].InstanceId)}})
	must(t, err)
	if got := d.Reservations[0].Instances[0]; len(got.NetworkInterfaces) != 2 || got.PublicIpAddress != nil {
		t.Errorf("from the launch template: %d interfaces, public IP %v", len(got.NetworkInterfaces), aws.ToString(got.PublicIpAddress))
	}
}
