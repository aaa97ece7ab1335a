package server_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestGetConsoleOutput: a running instance answers a base64 console; an
// unknown one is InvalidInstanceID.NotFound.
func TestGetConsoleOutput(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	must(t, err)
	id := r.Instances[0].InstanceId
	must(t, ec2.NewInstanceRunningWaiter(e, func(o *ec2.InstanceRunningWaiterOptions) { o.MinDelay = 10e6; o.MaxDelay = 50e6 }).
		Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{*id}}, 10e9))
	out, err := e.GetConsoleOutput(ctx, &ec2.GetConsoleOutputInput{InstanceId: id})
	must(t, err)
	text, err := base64.StdEncoding.DecodeString(aws.ToString(out.Output))
	if err != nil || !strings.Contains(string(text), *id) || aws.ToString(out.InstanceId) != *id || out.Timestamp == nil {
		t.Errorf("console output %+v (%q, %v)", out, text, err)
	}
	_, err = e.GetConsoleOutput(ctx, &ec2.GetConsoleOutputInput{InstanceId: aws.String("i-1234abcd")})
	wantLimitError(t, "unknown instance", err, "InvalidInstanceID.NotFound", "The instance ID 'i-1234abcd' does not exist")
}

// TestTerminateNoInstances: TerminateInstances with an empty list (the
// SDK sends no id) is AWS's InvalidParameterCombination "No instances
// specified".
func TestTerminateNoInstances(t *testing.T) {
	em := newAccount(t, nil)
	_, err := sdkClients(em.URL).ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{}})
	wantLimitError(t, "no instances", err, "InvalidParameterCombination", "No instances specified")
}

// TestDescribeLaunchTemplatesOrder: templates asked for by name or id come
// back in the order asked.
func TestDescribeLaunchTemplatesOrder(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	var ids []string
	names := []string{"tmpl-a", "tmpl-b", "tmpl-c"}
	for _, n := range names {
		r, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String(n),
			LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String("ami-12345678")}})
		must(t, err)
		ids = append(ids, aws.ToString(r.LaunchTemplate.LaunchTemplateId))
	}
	order := func(out *ec2.DescribeLaunchTemplatesOutput) (got []string) {
		for _, lt := range out.LaunchTemplates {
			got = append(got, aws.ToString(lt.LaunchTemplateName))
		}
		return got
	}
	out, err := e.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateNames: []string{"tmpl-c", "tmpl-a", "tmpl-b"}})
	must(t, err)
	if got := strings.Join(order(out), ","); got != "tmpl-c,tmpl-a,tmpl-b" {
		t.Errorf("by names: %s", got)
	}
	out, err = e.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateIds: []string{ids[1], ids[2], ids[0]}})
	must(t, err)
	if got := strings.Join(order(out), ","); got != "tmpl-b,tmpl-c,tmpl-a" {
		t.Errorf("by ids: %s", got)
	}
}

// TestCreditSpecificationsOfNonBurstable: asked for by id, a non-burstable
// instance answers standard; without ids only unlimited ones are listed.
func TestCreditSpecificationsOfNonBurstable(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	m, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), InstanceType: ec2types.InstanceTypeM5Large})
	must(t, err)
	tt, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), InstanceType: ec2types.InstanceTypeT3Micro})
	must(t, err)
	mID, tID := aws.ToString(m.Instances[0].InstanceId), aws.ToString(tt.Instances[0].InstanceId)
	out, err := e.DescribeInstanceCreditSpecifications(ctx, &ec2.DescribeInstanceCreditSpecificationsInput{InstanceIds: []string{mID}})
	must(t, err)
	if len(out.InstanceCreditSpecifications) != 1 || aws.ToString(out.InstanceCreditSpecifications[0].CpuCredits) != "standard" {
		t.Errorf("m5.large: %+v", out.InstanceCreditSpecifications)
	}
	out, err = e.DescribeInstanceCreditSpecifications(ctx, &ec2.DescribeInstanceCreditSpecificationsInput{})
	must(t, err)
	if len(out.InstanceCreditSpecifications) != 1 || aws.ToString(out.InstanceCreditSpecifications[0].InstanceId) != tID {
		t.Errorf("all: %+v", out.InstanceCreditSpecifications)
	}
}

// TestSnapshots: CreateSnapshot of a volume, DescribeSnapshots (ids,
// owner, filters), volumes restored from it by CreateVolume and by a launch
// mapping (its size, never smaller), tags, DeleteSnapshot.
func TestSnapshots(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(20)})
	must(t, err)
	s, err := e.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: v.VolumeId, Description: aws.String("nightly"),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSnapshot, Tags: []ec2types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}}})
	must(t, err)
	if s.State != ec2types.SnapshotStatePending || aws.ToInt32(s.VolumeSize) != 20 || aws.ToString(s.OwnerId) != "123456789012" {
		t.Errorf("CreateSnapshot: %+v", s)
	}
	d, err := e.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, Filters: []ec2types.Filter{{Name: aws.String("tag:k"), Values: []string{"v"}}}})
	must(t, err)
	if len(d.Snapshots) != 1 || d.Snapshots[0].State != ec2types.SnapshotStateCompleted || aws.ToString(d.Snapshots[0].Description) != "nightly" {
		t.Fatalf("DescribeSnapshots: %+v", d.Snapshots)
	}
	if d, err = e.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"amazon"}}); err != nil || len(d.Snapshots) != 0 {
		t.Errorf("owner amazon: %+v %v", d, err)
	}
	r, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1b"), SnapshotId: s.SnapshotId})
	must(t, err)
	if aws.ToInt32(r.Size) != 20 || aws.ToString(r.SnapshotId) != aws.ToString(s.SnapshotId) {
		t.Errorf("restored volume: %+v", r)
	}
	_, err = e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1b"), SnapshotId: s.SnapshotId, Size: aws.Int32(10)})
	wantLimitError(t, "smaller than the snapshot", err, "InvalidParameterValue", "is smaller than snapshot")
	run, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		BlockDeviceMappings: []ec2types.BlockDeviceMapping{{DeviceName: aws.String("/dev/sdh"), Ebs: &ec2types.EbsBlockDevice{SnapshotId: s.SnapshotId}}}})
	must(t, err)
	vols, err := e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{
		{Name: aws.String("attachment.instance-id"), Values: []string{aws.ToString(run.Instances[0].InstanceId)}},
		{Name: aws.String("snapshot-id"), Values: []string{aws.ToString(s.SnapshotId)}}}})
	must(t, err)
	if len(vols.Volumes) != 1 || aws.ToInt32(vols.Volumes[0].Size) != 20 {
		t.Errorf("launch volume from the snapshot: %+v", vols.Volumes)
	}
	_, err = e.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{aws.ToString(v.VolumeId), aws.ToString(s.SnapshotId)}, Tags: []ec2types.Tag{{Key: aws.String("t"), Value: aws.String("1")}}})
	must(t, err)
	tags, err := e.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []ec2types.Filter{{Name: aws.String("key"), Values: []string{"t"}}}})
	must(t, err)
	kinds := map[ec2types.ResourceType]bool{}
	for _, d := range tags.Tags {
		kinds[d.ResourceType] = true
	}
	if len(tags.Tags) != 2 || !kinds[ec2types.ResourceTypeVolume] || !kinds[ec2types.ResourceTypeSnapshot] {
		t.Errorf("DescribeTags: %+v", tags.Tags)
	}
	must(t, func() error {
		_, err := e.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: s.SnapshotId})
		return err
	}())
	_, err = e.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{aws.ToString(s.SnapshotId)}})
	wantLimitError(t, "deleted snapshot", err, "InvalidSnapshot.NotFound", "does not exist")
}

// TestLaunchMappingSmallerThanSnapshot: a launch mapping smaller than its
// snapshot is InvalidBlockDeviceMapping.
func TestLaunchMappingSmallerThanSnapshot(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(30)})
	must(t, err)
	s, err := e.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: v.VolumeId})
	must(t, err)
	_, err = e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		BlockDeviceMappings: []ec2types.BlockDeviceMapping{{DeviceName: aws.String("/dev/sdh"), Ebs: &ec2types.EbsBlockDevice{SnapshotId: s.SnapshotId, VolumeSize: aws.Int32(15)}}}})
	wantLimitError(t, "mapping smaller than the snapshot", err, "InvalidBlockDeviceMapping",
		"Volume of size 15GB is smaller than snapshot '"+aws.ToString(s.SnapshotId)+"', expect size >= 30GB")
}
