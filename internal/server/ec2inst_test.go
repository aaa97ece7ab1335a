package server_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestGetConsoleOutput: a running instance answers a base64 console; an
// unknown one is InvalidInstanceID.NotFound.
func TestGetConsoleOutput(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
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
// back in the order asked; all of them, in creation order, page by page too.
func TestDescribeLaunchTemplatesOrder(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	var ids []string
	names := []string{"tmpl-a", "tmpl-b", "tmpl-c"}
	for _, n := range names {
		r, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String(n),
			LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI)}})
		must(t, err)
		ids = append(ids, aws.ToString(r.LaunchTemplate.LaunchTemplateId))
	}
	order := func(out *ec2.DescribeLaunchTemplatesOutput) (got []string) {
		for _, lt := range out.LaunchTemplates {
			got = append(got, aws.ToString(lt.LaunchTemplateName))
		}
		return got
	}
	out, err := e.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{})
	must(t, err)
	if got := strings.Join(order(out), ","); got != "tmpl-a,tmpl-b,tmpl-c" {
		t.Errorf("all: %s, want creation order", got)
	}
	var paged []string
	for token := (*string)(nil); ; {
		p, err := e.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{MaxResults: aws.Int32(1), NextToken: token})
		must(t, err)
		paged = append(paged, order(p)...)
		if token = p.NextToken; token == nil {
			break
		}
	}
	if got := strings.Join(paged, ","); got != "tmpl-a,tmpl-b,tmpl-c" {
		t.Errorf("paged: %s, want creation order", got)
	}
	out, err = e.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateNames: []string{"tmpl-c", "tmpl-a", "tmpl-b"}})
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
	m, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), InstanceType: ec2types.InstanceTypeM5Large})
	must(t, err)
	tt, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), InstanceType: ec2types.InstanceTypeT3Micro})
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
	run, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
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
	_, err = e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		BlockDeviceMappings: []ec2types.BlockDeviceMapping{{DeviceName: aws.String("/dev/sdh"), Ebs: &ec2types.EbsBlockDevice{SnapshotId: s.SnapshotId, VolumeSize: aws.Int32(15)}}}})
	wantLimitError(t, "mapping smaller than the snapshot", err, "InvalidBlockDeviceMapping",
		"Volume of size 15GB is smaller than snapshot '"+aws.ToString(s.SnapshotId)+"', expect size >= 30GB")
}

// TestCreateSnapshots: one snapshot per volume attached to the instance
// (root and data), pending, with the request's description and tags;
// ExcludeBootVolume leaves the root volume out, and naming it among the
// data volumes to exclude is refused; CopyTagsFromSource copies the
// volume's tags; without tags both CreateSnapshots and CreateSnapshot
// answer an empty tag set. An unknown instance is InvalidInstanceID.NotFound.
func TestCreateSnapshots(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		Placement: &ec2types.Placement{AvailabilityZone: aws.String("us-east-1a")}})
	must(t, err)
	id := r.Instances[0].InstanceId
	must(t, ec2.NewInstanceRunningWaiter(e, func(o *ec2.InstanceRunningWaiterOptions) { o.MinDelay = 10e6; o.MaxDelay = 50e6 }).
		Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{*id}}, 10e9))
	d, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(80),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVolume, Tags: []ec2types.Tag{{Key: aws.String("vk"), Value: aws.String("vv")}}}}})
	must(t, err)
	_, err = e.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: d.VolumeId, InstanceId: id, Device: aws.String("/dev/sdh")})
	must(t, err)
	out, err := e.CreateSnapshots(ctx, &ec2.CreateSnapshotsInput{InstanceSpecification: &ec2types.InstanceSpecification{InstanceId: id},
		Description: aws.String("set"), TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSnapshot,
			Tags: []ec2types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}}})
	must(t, err)
	sizes := map[int32]bool{}
	root := ""
	for _, s := range out.Snapshots {
		sizes[aws.ToInt32(s.VolumeSize)] = true
		if aws.ToInt32(s.VolumeSize) != 80 {
			root = aws.ToString(s.VolumeId)
		}
		if s.State != ec2types.SnapshotStatePending || aws.ToString(s.Description) != "set" || len(s.Tags) != 1 || aws.ToString(s.Tags[0].Key) != "k" {
			t.Errorf("snapshot %+v", s)
		}
	}
	if len(out.Snapshots) != 2 || !sizes[80] || root == "" {
		t.Fatalf("CreateSnapshots: %+v", out.Snapshots)
	}
	desc, err := e.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{Filters: []ec2types.Filter{{Name: aws.String("description"), Values: []string{"set"}}}})
	must(t, err)
	if len(desc.Snapshots) != 2 {
		t.Errorf("described: %+v", desc.Snapshots)
	}
	out, err = e.CreateSnapshots(ctx, &ec2.CreateSnapshotsInput{InstanceSpecification: &ec2types.InstanceSpecification{InstanceId: id,
		ExcludeBootVolume: aws.Bool(true)}, CopyTagsFromSource: ec2types.CopyTagsFromSourceVolume})
	must(t, err)
	if len(out.Snapshots) != 1 || aws.ToString(out.Snapshots[0].VolumeId) != aws.ToString(d.VolumeId) ||
		len(out.Snapshots[0].Tags) != 1 || aws.ToString(out.Snapshots[0].Tags[0].Key) != "vk" {
		t.Errorf("without the boot volume, volume tags copied: %+v", out.Snapshots)
	}
	// Untagged, both operations answer an empty tag set (the SDK reads
	// it as an empty, non-nil list), as the AWS CLI's examples show.
	out, err = e.CreateSnapshots(ctx, &ec2.CreateSnapshotsInput{InstanceSpecification: &ec2types.InstanceSpecification{InstanceId: id,
		ExcludeBootVolume: aws.Bool(true)}})
	must(t, err)
	if len(out.Snapshots) != 1 || out.Snapshots[0].Tags == nil || len(out.Snapshots[0].Tags) != 0 {
		t.Errorf("CreateSnapshots without tags: %+v", out.Snapshots)
	}
	one, err := e.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: d.VolumeId})
	must(t, err)
	if one.Tags == nil || len(one.Tags) != 0 {
		t.Errorf("CreateSnapshot without tags: Tags %#v", one.Tags)
	}
	_, err = e.CreateSnapshots(ctx, &ec2.CreateSnapshotsInput{InstanceSpecification: &ec2types.InstanceSpecification{InstanceId: id,
		ExcludeDataVolumeIds: []string{root}}})
	wantLimitError(t, "root among data volumes", err, "InvalidParameterValue", "use ExcludeBootVolume")
	_, err = e.CreateSnapshots(ctx, &ec2.CreateSnapshotsInput{InstanceSpecification: &ec2types.InstanceSpecification{InstanceId: aws.String("i-1234abcd")}})
	wantLimitError(t, "unknown instance", err, "InvalidInstanceID.NotFound", "i-1234abcd")
}

// TestCreateVolumeThroughputAndKMS: gp3 keeps the throughput asked for;
// other types refuse it (InvalidParameterCombination); a KMS key needs
// Encrypted (InvalidParameterDependency) and is answered as given.
// Volume and snapshot times are whole seconds, and the create-time and
// start-time filters take them as answered.
func TestCreateVolumeThroughputAndKMS(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10),
		VolumeType: ec2types.VolumeTypeGp3, Throughput: aws.Int32(200)})
	must(t, err)
	got, err := e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{aws.ToString(v.VolumeId)}})
	must(t, err)
	if aws.ToInt32(v.Throughput) != 200 || aws.ToInt32(got.Volumes[0].Throughput) != 200 {
		t.Errorf("gp3 throughput: %v, described %v", aws.ToInt32(v.Throughput), aws.ToInt32(got.Volumes[0].Throughput))
	}
	_, err = e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10),
		VolumeType: ec2types.VolumeTypeGp2, Throughput: aws.Int32(200)})
	wantLimitError(t, "gp2 throughput", err, "InvalidParameterCombination", "throughput can only be specified for volumeType gp3.")
	_, err = e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10), KmsKeyId: aws.String("alias/mine")})
	wantLimitError(t, "key without Encrypted", err, "InvalidParameterDependency", "The parameter KmsKeyId requires the parameter Encrypted to be set.")
	k, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10), Encrypted: aws.Bool(true),
		KmsKeyId: aws.String("alias/mine")})
	must(t, err)
	if aws.ToString(k.KmsKeyId) != "alias/mine" || !aws.ToBool(k.Encrypted) {
		t.Errorf("encrypted with a key: %+v", k)
	}
	if ct := aws.ToTime(k.CreateTime); ct.Nanosecond() != 0 {
		t.Errorf("CreateTime %v has a fraction of a second", ct)
	}
	byTime, err := e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{{Name: aws.String("create-time"),
		Values: []string{aws.ToTime(k.CreateTime).UTC().Format("2006-01-02T15:04:05.000Z")}}}})
	must(t, err)
	found := false
	for _, x := range byTime.Volumes {
		found = found || aws.ToString(x.VolumeId) == aws.ToString(k.VolumeId)
	}
	if !found {
		t.Errorf("create-time filter: %+v", byTime.Volumes)
	}
	s, err := e.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: k.VolumeId})
	must(t, err)
	snaps, err := e.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{Filters: []ec2types.Filter{{Name: aws.String("start-time"),
		Values: []string{aws.ToTime(s.StartTime).UTC().Format("2006-01-02T15:04:05.000Z")}}}})
	must(t, err)
	if len(snaps.Snapshots) != 1 || aws.ToString(snaps.Snapshots[0].SnapshotId) != aws.ToString(s.SnapshotId) {
		t.Errorf("start-time filter: %+v", snaps.Snapshots)
	}
}

// TestLaunchMappingThroughputAndKMS: a launch mapping's gp3 throughput and
// KMS key reach the volume; throughput on another type is
// InvalidBlockDeviceMapping, a key without Encrypted
// InvalidParameterDependency.
func TestLaunchMappingThroughputAndKMS(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	run := func(m ec2types.BlockDeviceMapping) (*ec2.RunInstancesOutput, error) {
		return e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			BlockDeviceMappings: []ec2types.BlockDeviceMapping{m}})
	}
	r, err := run(ec2types.BlockDeviceMapping{DeviceName: aws.String("/dev/sdh"), Ebs: &ec2types.EbsBlockDevice{VolumeSize: aws.Int32(10),
		VolumeType: ec2types.VolumeTypeGp3, Throughput: aws.Int32(300), Encrypted: aws.Bool(true), KmsKeyId: aws.String("alias/mine")}})
	must(t, err)
	vols, err := e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{
		{Name: aws.String("attachment.instance-id"), Values: []string{aws.ToString(r.Instances[0].InstanceId)}},
		{Name: aws.String("attachment.device"), Values: []string{"/dev/sdh"}}}})
	must(t, err)
	if len(vols.Volumes) != 1 || aws.ToInt32(vols.Volumes[0].Throughput) != 300 || aws.ToString(vols.Volumes[0].KmsKeyId) != "alias/mine" {
		t.Errorf("launch volume: %+v", vols.Volumes)
	}
	_, err = run(ec2types.BlockDeviceMapping{DeviceName: aws.String("/dev/sdh"), Ebs: &ec2types.EbsBlockDevice{VolumeSize: aws.Int32(10), Throughput: aws.Int32(300)}})
	wantLimitError(t, "gp2 throughput", err, "InvalidBlockDeviceMapping", "throughput cannot be specified with the volumeType of device '/dev/sdh'")
	_, err = run(ec2types.BlockDeviceMapping{DeviceName: aws.String("/dev/sdh"), Ebs: &ec2types.EbsBlockDevice{VolumeSize: aws.Int32(10), KmsKeyId: aws.String("alias/mine")}})
	wantLimitError(t, "key without Encrypted", err, "InvalidParameterDependency", "The parameter KmsKeyId requires the parameter Encrypted to be set.")
}

// TestSpotMarketOptions: RunInstances with InstanceMarketOptions spot makes
// a Spot Instance (InstanceLifecycle spot, the instance-lifecycle filter);
// a one-time one cannot be stopped; a one-time request refuses the stop
// interruption behaviour and an end date.
func TestSpotMarketOptions(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	run := func(m *ec2types.InstanceMarketOptionsRequest) (*ec2.RunInstancesOutput, error) {
		return e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			InstanceMarketOptions: m})
	}
	spot, err := run(&ec2types.InstanceMarketOptionsRequest{MarketType: ec2types.MarketTypeSpot})
	must(t, err)
	od, err := run(nil)
	must(t, err)
	spotID, odID := aws.ToString(spot.Instances[0].InstanceId), aws.ToString(od.Instances[0].InstanceId)
	if spot.Instances[0].InstanceLifecycle != ec2types.InstanceLifecycleTypeSpot || od.Instances[0].InstanceLifecycle != "" {
		t.Errorf("lifecycles: %q %q", spot.Instances[0].InstanceLifecycle, od.Instances[0].InstanceLifecycle)
	}
	d, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("instance-lifecycle"), Values: []string{"spot"}}}})
	must(t, err)
	if len(d.Reservations) != 1 || aws.ToString(d.Reservations[0].Instances[0].InstanceId) != spotID {
		t.Errorf("instance-lifecycle filter: %+v", d.Reservations)
	}
	must(t, ec2.NewInstanceRunningWaiter(e, func(o *ec2.InstanceRunningWaiterOptions) { o.MinDelay = 10e6; o.MaxDelay = 50e6 }).
		Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{spotID, odID}}, 10e9))
	_, err = e.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{spotID}})
	wantLimitError(t, "stop a one-time Spot Instance", err, "UnsupportedOperation", "associated with a one-time Spot Instance request")
	_, err = run(&ec2types.InstanceMarketOptionsRequest{MarketType: ec2types.MarketTypeSpot, SpotOptions: &ec2types.SpotMarketOptions{
		InstanceInterruptionBehavior: ec2types.InstanceInterruptionBehaviorStop}})
	wantLimitError(t, "one-time with stop", err, "InvalidParameterCombination", "The request with type 'one-time' is not supported when instanceInterruptionBehavior is set to 'stop'.")
	p, err := run(&ec2types.InstanceMarketOptionsRequest{MarketType: ec2types.MarketTypeSpot, SpotOptions: &ec2types.SpotMarketOptions{
		SpotInstanceType: ec2types.SpotInstanceTypePersistent, InstanceInterruptionBehavior: ec2types.InstanceInterruptionBehaviorStop}})
	must(t, err)
	if p.Instances[0].InstanceLifecycle != ec2types.InstanceLifecycleTypeSpot {
		t.Errorf("persistent: %q", p.Instances[0].InstanceLifecycle)
	}
}

// TestSpotInstanceRequests: RequestSpotInstances answers each request open
// (pending-evaluation) and launches its Spot Instance; Describe shows it
// active (fulfilled) with the instance, filters by state and tags; Cancel
// leaves the instance running ("request-canceled-and-instance-running");
// a one-time request refuses the stop interruption behaviour; an unknown
// id is InvalidSpotInstanceRequestID.NotFound.
func TestSpotInstanceRequests(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	r, err := e.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{SpotPrice: aws.String("0.5"), InstanceCount: aws.Int32(2),
		LaunchSpecification: &ec2types.RequestSpotLaunchSpecification{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro},
		TagSpecifications:   []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSpotInstancesRequest, Tags: []ec2types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}}})
	must(t, err)
	if len(r.SpotInstanceRequests) != 2 || r.SpotInstanceRequests[0].State != ec2types.SpotInstanceStateOpen ||
		aws.ToString(r.SpotInstanceRequests[0].Status.Code) != "pending-evaluation" || aws.ToString(r.SpotInstanceRequests[0].SpotPrice) != "0.500000" {
		t.Fatalf("RequestSpotInstances: %+v", r.SpotInstanceRequests)
	}
	id := aws.ToString(r.SpotInstanceRequests[0].SpotInstanceRequestId)
	d, err := e.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{Filters: []ec2types.Filter{
		{Name: aws.String("state"), Values: []string{"active"}}, {Name: aws.String("tag:k"), Values: []string{"v"}}}})
	must(t, err)
	if len(d.SpotInstanceRequests) != 2 {
		t.Fatalf("described: %+v", d.SpotInstanceRequests)
	}
	var inst string
	for _, s := range d.SpotInstanceRequests {
		if aws.ToString(s.SpotInstanceRequestId) == id {
			inst = aws.ToString(s.InstanceId)
			if aws.ToString(s.Status.Code) != "fulfilled" || s.Type != ec2types.SpotInstanceTypeOneTime || s.InstanceInterruptionBehavior != ec2types.InstanceInterruptionBehaviorTerminate {
				t.Errorf("request %+v", s)
			}
		}
	}
	di, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{inst}})
	must(t, err)
	if i := di.Reservations[0].Instances[0]; i.InstanceLifecycle != ec2types.InstanceLifecycleTypeSpot || i.InstanceType != ec2types.InstanceTypeT3Micro ||
		aws.ToString(i.SpotInstanceRequestId) != id {
		t.Errorf("spot instance: %+v", i)
	}
	c, err := e.CancelSpotInstanceRequests(ctx, &ec2.CancelSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{id}})
	must(t, err)
	if len(c.CancelledSpotInstanceRequests) != 1 || c.CancelledSpotInstanceRequests[0].State != ec2types.CancelSpotInstanceRequestStateCancelled {
		t.Errorf("cancel: %+v", c.CancelledSpotInstanceRequests)
	}
	d, err = e.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{id}})
	must(t, err)
	if len(d.SpotInstanceRequests) != 1 || aws.ToString(d.SpotInstanceRequests[0].Status.Code) != "request-canceled-and-instance-running" {
		t.Errorf("cancelled request: %+v", d.SpotInstanceRequests)
	}
	other := r.SpotInstanceRequests[1].SpotInstanceRequestId
	d, err = e.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{aws.ToString(other)}})
	must(t, err)
	_, err = e.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{aws.ToString(d.SpotInstanceRequests[0].InstanceId)}})
	must(t, err)
	d, err = e.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{aws.ToString(other)}})
	must(t, err)
	if s := d.SpotInstanceRequests[0]; s.State != ec2types.SpotInstanceStateClosed || aws.ToString(s.Status.Code) != "instance-terminated-by-user" {
		t.Errorf("one-time request of a terminated instance: %s %s", s.State, aws.ToString(s.Status.Code))
	}
	_, err = e.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{InstanceInterruptionBehavior: ec2types.InstanceInterruptionBehaviorStop,
		LaunchSpecification: &ec2types.RequestSpotLaunchSpecification{ImageId: aws.String(testAMI)}})
	wantLimitError(t, "one-time with stop", err, "InvalidParameterCombination", "The request with type 'one-time' is not supported when instanceInterruptionBehavior is set to 'stop'.")
	_, err = e.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{"sir-12345678"}})
	wantLimitError(t, "unknown request", err, "InvalidSpotInstanceRequestID.NotFound", "sir-12345678")
}

// TestSpotPriceHistoryTerraform makes the calls of Terraform's
// aws_ec2_spot_price data source (StartTime now, one instance type, one
// zone, a product-description filter) and of its paginator with the SDK's
// own paginator: the current price is one point, stamped no later than now
// and at most one price interval earlier, the same on every call; a day's
// history pages in order, newest first, with no point twice.
func TestSpotPriceHistoryTerraform(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	now := time.Now().UTC()
	in := &ec2.DescribeSpotPriceHistoryInput{StartTime: aws.Time(now), InstanceTypes: []ec2types.InstanceType{ec2types.InstanceTypeT3Medium},
		AvailabilityZone: aws.String("us-east-1a"), Filters: []ec2types.Filter{{Name: aws.String("product-description"), Values: []string{"Linux/UNIX"}}}}
	var first string
	for range 2 {
		out, err := e.DescribeSpotPriceHistory(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.SpotPriceHistory) != 1 {
			t.Fatalf("%d points, want 1", len(out.SpotPriceHistory))
		}
		p := out.SpotPriceHistory[0]
		ts := aws.ToTime(p.Timestamp)
		if ts.After(now) || now.Sub(ts) > 6*time.Hour || aws.ToString(p.AvailabilityZone) != "us-east-1a" ||
			p.InstanceType != ec2types.InstanceTypeT3Medium || p.ProductDescription != ec2types.RIProductDescription("Linux/UNIX") {
			t.Errorf("point %+v", p)
		}
		if first == "" {
			first = aws.ToString(p.SpotPrice)
		} else if aws.ToString(p.SpotPrice) != first {
			t.Errorf("price %s then %s", first, aws.ToString(p.SpotPrice))
		}
	}
	pg := ec2.NewDescribeSpotPriceHistoryPaginator(e, &ec2.DescribeSpotPriceHistoryInput{StartTime: aws.Time(now.Add(-24 * time.Hour)),
		InstanceTypes: []ec2types.InstanceType{ec2types.InstanceTypeM5Large, ec2types.InstanceTypeC5Large}, MaxResults: aws.Int32(7)})
	seen := map[string]bool{}
	var last time.Time
	pages := 0
	for pg.HasMorePages() {
		out, err := pg.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, p := range out.SpotPriceHistory {
			k := aws.ToString(p.AvailabilityZone) + string(p.InstanceType) + string(p.ProductDescription) + aws.ToTime(p.Timestamp).String()
			if seen[k] || (!last.IsZero() && aws.ToTime(p.Timestamp).After(last)) {
				t.Fatalf("point %s twice or out of order", k)
			}
			seen[k], last = true, aws.ToTime(p.Timestamp)
		}
	}
	// Two types, six zones, four products, four or five price changes.
	if n := len(seen); n != 2*6*4*5 && n != 2*6*4*6 {
		t.Errorf("%d points in %d pages", n, pages)
	}
}
