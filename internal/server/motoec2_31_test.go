package server_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// A volume's autoEnableIO attribute is false until ModifyVolumeAttribute
// sets it; productCodes is empty; another attribute is InvalidParameterValue
// and an unknown volume InvalidVolume.NotFound. DescribeVolumeStatus answers
// each volume ok, I/O enabled, io-performance not-applicable but for
// Provisioned IOPS volumes (normal), and its filters select on those
// (botocore's examples-1.json for the three operations).
func TestVolumeAttributeAndStatus(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	gp, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10)})
	must(t, err)
	io, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1b"), Size: aws.Int32(10),
		VolumeType: ec2types.VolumeTypeIo2, Iops: aws.Int32(3000)})
	must(t, err)

	attr, err := c.DescribeVolumeAttribute(ctx, &ec2.DescribeVolumeAttributeInput{VolumeId: gp.VolumeId, Attribute: ec2types.VolumeAttributeNameAutoEnableIO})
	must(t, err)
	if aws.ToString(attr.VolumeId) != aws.ToString(gp.VolumeId) || attr.AutoEnableIO == nil || aws.ToBool(attr.AutoEnableIO.Value) {
		t.Fatalf("autoEnableIO of a new volume: %+v, want false", attr)
	}
	_, err = c.ModifyVolumeAttribute(ctx, &ec2.ModifyVolumeAttributeInput{VolumeId: gp.VolumeId, AutoEnableIO: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	attr, err = c.DescribeVolumeAttribute(ctx, &ec2.DescribeVolumeAttributeInput{VolumeId: gp.VolumeId, Attribute: ec2types.VolumeAttributeNameAutoEnableIO})
	must(t, err)
	if attr.AutoEnableIO == nil || !aws.ToBool(attr.AutoEnableIO.Value) {
		t.Errorf("autoEnableIO after ModifyVolumeAttribute: %+v, want true", attr.AutoEnableIO)
	}
	codes, err := c.DescribeVolumeAttribute(ctx, &ec2.DescribeVolumeAttributeInput{VolumeId: gp.VolumeId, Attribute: ec2types.VolumeAttributeNameProductCodes})
	must(t, err)
	if len(codes.ProductCodes) != 0 || codes.AutoEnableIO != nil {
		t.Errorf("productCodes: %+v", codes)
	}
	wantCode := func(err error, code string) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != code {
			t.Errorf("error %v, want %s", err, code)
		}
	}
	_, err = c.DescribeVolumeAttribute(ctx, &ec2.DescribeVolumeAttributeInput{VolumeId: gp.VolumeId, Attribute: "size"})
	wantCode(err, "InvalidParameterValue")
	_, err = c.DescribeVolumeAttribute(ctx, &ec2.DescribeVolumeAttributeInput{VolumeId: aws.String("vol-0123456789abcdef0"), Attribute: ec2types.VolumeAttributeNameAutoEnableIO})
	wantCode(err, "InvalidVolume.NotFound")
	_, err = c.ModifyVolumeAttribute(ctx, &ec2.ModifyVolumeAttributeInput{VolumeId: aws.String("vol-0123456789abcdef0"), AutoEnableIO: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	wantCode(err, "InvalidVolume.NotFound")

	st, err := c.DescribeVolumeStatus(ctx, &ec2.DescribeVolumeStatusInput{VolumeIds: []string{aws.ToString(gp.VolumeId), aws.ToString(io.VolumeId)}})
	must(t, err)
	if len(st.VolumeStatuses) != 2 {
		t.Fatalf("statuses %+v, want 2", st.VolumeStatuses)
	}
	for _, s := range st.VolumeStatuses {
		perf := "not-applicable"
		zone := "us-east-1a"
		if aws.ToString(s.VolumeId) == aws.ToString(io.VolumeId) {
			perf, zone = "normal", "us-east-1b"
		}
		d := s.VolumeStatus.Details
		if s.VolumeStatus.Status != ec2types.VolumeStatusInfoStatusOk || aws.ToString(s.AvailabilityZone) != zone || len(d) != 2 ||
			d[0].Name != ec2types.VolumeStatusNameIoEnabled || aws.ToString(d[0].Status) != "passed" ||
			d[1].Name != ec2types.VolumeStatusNameIoPerformance || aws.ToString(d[1].Status) != perf {
			t.Errorf("status of %s: %+v %+v", aws.ToString(s.VolumeId), s.VolumeStatus, d)
		}
	}
	imp, err := c.DescribeVolumeStatus(ctx, &ec2.DescribeVolumeStatusInput{Filters: []ec2types.Filter{{Name: aws.String("volume-status.status"), Values: []string{"impaired"}}}})
	must(t, err)
	if len(imp.VolumeStatuses) != 0 {
		t.Errorf("impaired volumes %+v, want none", imp.VolumeStatuses)
	}
	normal, err := c.DescribeVolumeStatus(ctx, &ec2.DescribeVolumeStatusInput{Filters: []ec2types.Filter{{Name: aws.String("volume-status.details-status"), Values: []string{"normal"}}}})
	must(t, err)
	if len(normal.VolumeStatuses) != 1 || aws.ToString(normal.VolumeStatuses[0].VolumeId) != aws.ToString(io.VolumeId) {
		t.Errorf("io-performance normal: %+v, want the io2 volume", normal.VolumeStatuses)
	}
	_, err = c.DescribeVolumeStatus(ctx, &ec2.DescribeVolumeStatusInput{VolumeIds: []string{"vol-0123456789abcdef0"}})
	wantCode(err, "InvalidVolume.NotFound")
}

// An instance's root device is its image's: RegisterImage with root device
// /dev/sda1 and the snapshot mapped there, then RunInstances of it, is
// described with RootDeviceName /dev/sda1 (DescribeInstances, the
// root-device-name filter, DescribeInstanceAttribute rootDeviceName), and
// its root volume (restored from the image's snapshot) is attached at
// /dev/sda1. An image ecsnet
// does not hold still launches with /dev/xvda.
func TestInstanceRootDeviceFollowsImage(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	vol, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(12)})
	must(t, err)
	snap, err := c.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: vol.VolumeId})
	must(t, err)
	reg, err := c.RegisterImage(ctx, &ec2.RegisterImageInput{Name: aws.String("sda1-root"), Architecture: ec2types.ArchitectureValuesX8664,
		VirtualizationType: aws.String("hvm"), RootDeviceName: aws.String("/dev/sda1"),
		BlockDeviceMappings: []ec2types.BlockDeviceMapping{{DeviceName: aws.String("/dev/sda1"), Ebs: &ec2types.EbsBlockDevice{SnapshotId: snap.SnapshotId}}}})
	must(t, err)
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	run, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: reg.ImageId, MinCount: aws.Int32(1), MaxCount: aws.Int32(1), InstanceType: ec2types.InstanceTypeT3Micro,
		SubnetId: sub.Subnet.SubnetId})
	must(t, err)
	id := aws.ToString(run.Instances[0].InstanceId)
	if got := aws.ToString(run.Instances[0].RootDeviceName); got != "/dev/sda1" {
		t.Errorf("RunInstances RootDeviceName %q, want /dev/sda1", got)
	}
	d, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("root-device-name"), Values: []string{"/dev/sda1"}}}})
	must(t, err)
	if len(d.Reservations) != 1 || aws.ToString(d.Reservations[0].Instances[0].InstanceId) != id {
		t.Fatalf("root-device-name /dev/sda1: %+v", d.Reservations)
	}
	inst := d.Reservations[0].Instances[0]
	if aws.ToString(inst.RootDeviceName) != "/dev/sda1" || len(inst.BlockDeviceMappings) != 1 || aws.ToString(inst.BlockDeviceMappings[0].DeviceName) != "/dev/sda1" {
		t.Errorf("instance root %q, mappings %+v", aws.ToString(inst.RootDeviceName), inst.BlockDeviceMappings)
	}
	attr, err := c.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: aws.String(id), Attribute: ec2types.InstanceAttributeNameRootDeviceName})
	must(t, err)
	if attr.RootDeviceName == nil || aws.ToString(attr.RootDeviceName.Value) != "/dev/sda1" {
		t.Errorf("rootDeviceName attribute %+v", attr.RootDeviceName)
	}
	vols, err := c.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{{Name: aws.String("attachment.instance-id"), Values: []string{id}}}})
	must(t, err)
	if len(vols.Volumes) != 1 || aws.ToString(vols.Volumes[0].Attachments[0].Device) != "/dev/sda1" ||
		aws.ToString(vols.Volumes[0].SnapshotId) != aws.ToString(snap.SnapshotId) || aws.ToInt32(vols.Volumes[0].Size) != 12 {
		t.Errorf("root volume %+v", vols.Volumes)
	}

	other, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), InstanceType: ec2types.InstanceTypeT3Micro,
		SubnetId: sub.Subnet.SubnetId})
	must(t, err)
	if got := aws.ToString(other.Instances[0].RootDeviceName); got != "/dev/xvda" {
		t.Errorf("RootDeviceName of an unknown image's instance %q, want /dev/xvda", got)
	}
}

// p5e.48xlarge, an instance type of botocore's InstanceType enum that the
// catalogue lacked (amazon-vpc-cni-k8s lists it, neither vCPU table did),
// launches and is described with its 192 vCPUs and 2,048 GiB.
func TestInstanceTypeP5e(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	d, err := c.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: []ec2types.InstanceType{"p5e.48xlarge"}})
	must(t, err)
	if len(d.InstanceTypes) != 1 || aws.ToInt32(d.InstanceTypes[0].VCpuInfo.DefaultVCpus) != 192 || aws.ToInt64(d.InstanceTypes[0].MemoryInfo.SizeInMiB) != 2097152 {
		t.Fatalf("p5e.48xlarge: %+v", d.InstanceTypes)
	}
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	_, err = c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		InstanceType: "p5e.48xlarge", SubnetId: sub.Subnet.SubnetId})
	must(t, err)
}
