package server_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Account-owned AMIs through the SDK: CreateImage snapshots the instance's
// volumes, DescribeImages finds the image by owner, filter and tag, launch
// permissions make it public or shared, the snapshot it uses cannot be
// deleted, RunInstances and launch templates launch it, CopyImage copies it
// to another region with new snapshots, and a deregistered image is refused
// while its snapshots stay.
func TestAccountImagesAPI(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	west := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL); o.Region = "us-west-2" })
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.9.1.0/24")})
	must(t, err)
	run := func(image string) (*ec2.RunInstancesOutput, error) {
		return e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(image), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			SubnetId: s.Subnet.SubnetId, InstanceType: ec2types.InstanceTypeT3Micro})
	}
	r, err := run(testAMI)
	must(t, err)
	inst := aws.ToString(r.Instances[0].InstanceId)
	eventually(t, "instance running", func() bool {
		d, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{inst}})
		return err == nil && d.Reservations[0].Instances[0].State.Name == ec2types.InstanceStateNameRunning
	})

	_, err = e.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: aws.String(inst), Name: aws.String("x")})
	wantAPIError(t, err, "InvalidParameterValue", "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'")
	ci, err := e.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: aws.String(inst), Name: aws.String("web-2026.12"), Description: aws.String("web tier"),
		TagSpecifications: []ec2types.TagSpecification{
			{ResourceType: ec2types.ResourceTypeImage, Tags: []ec2types.Tag{{Key: aws.String("role"), Value: aws.String("web")}}},
			{ResourceType: ec2types.ResourceTypeSnapshot, Tags: []ec2types.Tag{{Key: aws.String("of"), Value: aws.String("web")}}}}})
	must(t, err)
	ami := aws.ToString(ci.ImageId)
	_, err = e.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: aws.String(inst), Name: aws.String("web-2026.12")})
	wantAPIError(t, err, "InvalidAMIName.Duplicate", "AMI name web-2026.12 is already in use by AMI "+ami)

	d, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self"}})
	must(t, err)
	if len(d.Images) != 1 || aws.ToString(d.Images[0].ImageId) != ami {
		t.Fatalf("own images: %+v", d.Images)
	}
	im := d.Images[0]
	if aws.ToString(im.OwnerId) != "123456789012" || aws.ToBool(im.Public) || im.State != ec2types.ImageStateAvailable ||
		aws.ToString(im.RootDeviceName) != "/dev/xvda" || aws.ToString(im.SourceInstanceId) != inst || len(im.BlockDeviceMappings) != 1 {
		t.Fatalf("image: %+v", im)
	}
	snap := aws.ToString(im.BlockDeviceMappings[0].Ebs.SnapshotId)
	ds, err := e.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{snap}})
	must(t, err)
	if got := aws.ToString(ds.Snapshots[0].Description); got != "Created by CreateImage("+inst+") for "+ami {
		t.Errorf("snapshot description %q", got)
	}
	if len(ds.Snapshots[0].Tags) != 1 || aws.ToString(ds.Snapshots[0].Tags[0].Key) != "of" {
		t.Errorf("snapshot tags %+v", ds.Snapshots[0].Tags)
	}
	// Filters, and the public catalog next to the account's images.
	for _, f := range []ec2types.Filter{filter("tag:role", "web"), filter("name", "web-*"), filter("is-public", "false"),
		filter("block-device-mapping.snapshot-id", snap), filter("owner-id", "123456789012")} {
		d, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{Filters: []ec2types.Filter{f}})
		must(t, err)
		if len(d.Images) != 1 || aws.ToString(d.Images[0].ImageId) != ami {
			t.Errorf("filter %s=%v: %d images", aws.ToString(f.Name), f.Values, len(d.Images))
		}
	}
	amazon, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"amazon"}})
	must(t, err)
	if len(amazon.Images) == 0 || slices.ContainsFunc(amazon.Images, func(i ec2types.Image) bool { return aws.ToString(i.ImageId) == ami }) {
		t.Errorf("Owners=amazon: %d images, own image among them?", len(amazon.Images))
	}

	// Launch permissions.
	attr := func() []ec2types.LaunchPermission {
		a, err := e.DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: aws.String(ami), Attribute: ec2types.ImageAttributeNameLaunchPermission})
		must(t, err)
		return a.LaunchPermissions
	}
	if p := attr(); len(p) != 0 {
		t.Fatalf("baseline permissions %+v", p)
	}
	_, err = e.ModifyImageAttribute(ctx, &ec2.ModifyImageAttributeInput{ImageId: aws.String(ami), Attribute: aws.String("launchPermission"),
		OperationType: ec2types.OperationTypeAdd, UserIds: []string{"111122223333", "12345"}})
	wantAPIError(t, err, "InvalidAMIAttributeItemValue", `Invalid attribute item value "12345" for userId item type.`)
	if p := attr(); len(p) != 0 {
		t.Fatalf("a refused change left permissions %+v", p)
	}
	_, err = e.ModifyImageAttribute(ctx, &ec2.ModifyImageAttributeInput{ImageId: aws.String(ami),
		LaunchPermission: &ec2types.LaunchPermissionModifications{Add: []ec2types.LaunchPermission{{UserId: aws.String("111122223333")}, {Group: ec2types.PermissionGroupAll}}}})
	must(t, err)
	if p := attr(); len(p) != 2 || aws.ToString(p[0].UserId) != "111122223333" || p[1].Group != ec2types.PermissionGroupAll {
		t.Fatalf("permissions %+v", p)
	}
	shared, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{ExecutableUsers: []string{"111122223333"}, Owners: []string{"self"}})
	must(t, err)
	if len(shared.Images) != 1 || !aws.ToBool(shared.Images[0].Public) {
		t.Errorf("ExecutableUsers: %+v", shared.Images)
	}
	other, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{ExecutableUsers: []string{"444455556666"}})
	must(t, err)
	if len(other.Images) != 0 {
		t.Errorf("ExecutableUsers of an account no image is shared with: %d images (public ones are not explicit grants)", len(other.Images))
	}
	_, err = e.ResetImageAttribute(ctx, &ec2.ResetImageAttributeInput{ImageId: aws.String(ami), Attribute: ec2types.ResetImageAttributeNameLaunchPermission})
	must(t, err)
	if p := attr(); len(p) != 0 {
		t.Fatalf("after reset %+v", p)
	}
	_, err = e.DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: amazon.Images[0].ImageId, Attribute: ec2types.ImageAttributeNameLaunchPermission})
	wantAPIError(t, err, "AuthFailure", "Unauthorized attempt to access restricted resource")

	// The snapshot an image uses stays until the image is deregistered.
	_, err = e.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: aws.String(snap)})
	wantAPIError(t, err, "InvalidSnapshot.InUse", "The snapshot "+snap+" is currently in use by "+ami)

	// Launching the image, directly and through a launch template.
	_, err = run(ami)
	must(t, err)
	vols, err := e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{filter("snapshot-id", snap)}})
	must(t, err)
	if len(vols.Volumes) != 1 || aws.ToString(vols.Volumes[0].Attachments[0].Device) != "/dev/xvda" {
		t.Errorf("root volumes restored from the image's snapshot: %+v", vols.Volumes)
	}
	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(ami), InstanceType: ec2types.InstanceTypeT3Micro}})
	must(t, err)
	runLT := func() error {
		_, err := e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: s.Subnet.SubnetId,
			LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId}})
		return err
	}
	must(t, runLT())

	// A copy in another region of the account, with snapshots of its own.
	cp, err := west.CopyImage(ctx, &ec2.CopyImageInput{SourceRegion: aws.String("us-east-1"), SourceImageId: aws.String(ami),
		Name: aws.String("web-copy"), CopyImageTags: aws.Bool(true)})
	must(t, err)
	wd, err := west.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{aws.ToString(cp.ImageId)}})
	must(t, err)
	wim := wd.Images[0]
	wsnap := aws.ToString(wim.BlockDeviceMappings[0].Ebs.SnapshotId)
	if wsnap == snap || aws.ToString(wim.SourceImageId) != ami || aws.ToString(wim.SourceImageRegion) != "us-east-1" ||
		len(wim.Tags) != 1 || aws.ToString(wim.Tags[0].Value) != "web" {
		t.Errorf("copy: %+v", wim)
	}
	wds, err := west.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{wsnap}})
	must(t, err)
	if desc := aws.ToString(wds.Snapshots[0].Description); !strings.HasPrefix(desc, "Copied for DestinationAmi "+aws.ToString(cp.ImageId)+" from SourceAmi "+ami+" for SourceSnapshot "+snap+". Task created on ") {
		t.Errorf("copied snapshot description %q", desc)
	}
	_, err = west.CopyImage(ctx, &ec2.CopyImageInput{SourceRegion: aws.String("us-west-2"), SourceImageId: aws.String(ami), Name: aws.String("nope")})
	wantAPIError(t, err, "InvalidAMIID.NotFound", "The image id '["+ami+"]' does not exist")

	// CopySnapshot and createVolumePermission.
	cs, err := west.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-east-1"), SourceSnapshotId: aws.String(snap)})
	must(t, err)
	wcs, err := west.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{aws.ToString(cs.SnapshotId)}})
	must(t, err)
	if got := aws.ToString(wcs.Snapshots[0].Description); got != "[Copied "+snap+" from us-east-1]" {
		t.Errorf("CopySnapshot description %q", got)
	}
	_, err = e.ModifySnapshotAttribute(ctx, &ec2.ModifySnapshotAttributeInput{SnapshotId: aws.String(snap), Attribute: ec2types.SnapshotAttributeNameCreateVolumePermission,
		OperationType: ec2types.OperationTypeAdd, UserIds: []string{"111122223333"}})
	must(t, err)
	sa, err := e.DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: aws.String(snap), Attribute: ec2types.SnapshotAttributeNameCreateVolumePermission})
	must(t, err)
	if len(sa.CreateVolumePermissions) != 1 || aws.ToString(sa.CreateVolumePermissions[0].UserId) != "111122223333" {
		t.Errorf("createVolumePermission %+v", sa.CreateVolumePermissions)
	}
	for user, want := range map[string]int{"111122223333": 1, "444455556666": 0} {
		rs, err := e.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{RestorableByUserIds: []string{user}})
		must(t, err)
		if len(rs.Snapshots) != want {
			t.Errorf("RestorableByUserIds %s: %d snapshots, want %d", user, len(rs.Snapshots), want)
		}
	}

	// Deprecation: rounded to the minute, never in the past.
	_, err = e.EnableImageDeprecation(ctx, &ec2.EnableImageDeprecationInput{ImageId: aws.String(ami), DeprecateAt: aws.Time(time.Now().Add(-time.Hour))})
	if err == nil {
		t.Error("deprecation time in the past accepted")
	}
	at := time.Now().Add(48 * time.Hour).Truncate(time.Minute).Add(20 * time.Second)
	_, err = e.EnableImageDeprecation(ctx, &ec2.EnableImageDeprecationInput{ImageId: aws.String(ami), DeprecateAt: aws.Time(at)})
	must(t, err)
	dep, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{ami}})
	must(t, err)
	if got, want := aws.ToString(dep.Images[0].DeprecationTime), at.Truncate(time.Minute).UTC().Format("2006-01-02T15:04:05.000Z"); got != want {
		t.Errorf("DeprecationTime %s, want %s", got, want)
	}

	// Deregistration protection, then deregistering.
	_, err = e.EnableImageDeregistrationProtection(ctx, &ec2.EnableImageDeregistrationProtectionInput{ImageId: aws.String(ami)})
	must(t, err)
	_, err = e.DeregisterImage(ctx, &ec2.DeregisterImageInput{ImageId: aws.String(ami)})
	if err == nil {
		t.Fatal("deregistered a protected image")
	}
	_, err = e.DisableImageDeregistrationProtection(ctx, &ec2.DisableImageDeregistrationProtectionInput{ImageId: aws.String(ami)})
	must(t, err)
	_, err = e.DeregisterImage(ctx, &ec2.DeregisterImageInput{ImageId: aws.String(ami)})
	must(t, err)
	gone, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{ami}})
	must(t, err)
	if len(gone.Images) != 0 {
		t.Errorf("deregistered image still described: %+v", gone.Images)
	}
	_, err = run(ami)
	wantAPIError(t, err, "InvalidAMIID.NotFound", "The image id '["+ami+"]' does not exist")
	if err := runLT(); err == nil {
		t.Error("launch template launched a deregistered image")
	}
	_, err = e.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{snap}})
	must(t, err)
	_, err = e.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: aws.String(snap)})
	must(t, err)

	// RegisterImage from a snapshot.
	vol, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(20)})
	must(t, err)
	sn, err := e.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: vol.VolumeId})
	must(t, err)
	_, err = e.RegisterImage(ctx, &ec2.RegisterImageInput{Name: aws.String("bare")})
	wantAPIError(t, err, "InvalidParameterCombination", "Either imageLocation or rootDeviceName must be provided.")
	reg, err := e.RegisterImage(ctx, &ec2.RegisterImageInput{Name: aws.String("from-snap"), RootDeviceName: aws.String("/dev/xvda"),
		Architecture: ec2types.ArchitectureValuesArm64, VirtualizationType: aws.String("hvm"), EnaSupport: aws.Bool(true),
		BlockDeviceMappings: []ec2types.BlockDeviceMapping{{DeviceName: aws.String("/dev/xvda"), Ebs: &ec2types.EbsBlockDevice{SnapshotId: sn.SnapshotId}}}})
	must(t, err)
	rd, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{aws.ToString(reg.ImageId)}})
	must(t, err)
	if ri := rd.Images[0]; ri.Architecture != ec2types.ArchitectureValuesArm64 || ri.RootDeviceType != ec2types.DeviceTypeEbs ||
		aws.ToInt32(ri.BlockDeviceMappings[0].Ebs.VolumeSize) != 20 {
		t.Errorf("registered image: %+v", ri)
	}
}
